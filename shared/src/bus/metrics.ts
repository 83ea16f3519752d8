import { counter, gauge, histogram, LATENCY_BUCKETS } from '../metrics';

/** Event-bus metrics, labelled by stream, consumer group and event type. */
export function busMetrics() {
  const entry = ['stream', 'group', 'type'] as const;
  return {
    published: counter({ name: 'bus_events_published_total', help: 'Events written to a stream', labelNames: ['stream', 'type'] }),
    consumed: counter({ name: 'bus_events_consumed_total', help: 'Entries handed to a handler', labelNames: entry }),
    acked: counter({ name: 'bus_events_acked_total', help: 'Entries acknowledged after success', labelNames: entry }),
    failed: counter({ name: 'bus_events_failed_total', help: 'Handler failures (left pending for retry)', labelNames: entry }),
    retried: counter({ name: 'bus_events_retried_total', help: 'Entries reclaimed with XAUTOCLAIM for another attempt', labelNames: ['stream', 'group'] }),
    deadLettered: counter({ name: 'bus_events_dead_lettered_total', help: 'Entries moved to dead-letters', labelNames: entry }),
    ignored: counter({ name: 'bus_events_ignored_total', help: 'Entries acked without a handler (unknown or unhandled type)', labelNames: ['stream', 'group', 'reason'] }),
    batches: counter({ name: 'bus_batches_total', help: 'Reads applied through a batch handler: applied at once, split into one entry at a time after a failure, or left pending (stopped during an outage)', labelNames: ['group', 'outcome'] }),
    batchSize: histogram({ name: 'bus_batch_size', help: 'Entries applied together by a batch handler', labelNames: ['group'], buckets: [2, 4, 8, 16, 32, 64, 128] }),
    handlerDuration: histogram({ name: 'bus_handler_duration_seconds', help: 'Handler run time', labelNames: entry, buckets: LATENCY_BUCKETS }),
    lag: gauge({ name: 'bus_group_lag', help: 'Entries in the stream not yet delivered to the group', labelNames: ['stream', 'group'] }),
    trimmed: counter({ name: 'bus_stream_trimmed_total', help: 'Entries trimmed from a stream after every group acknowledged them', labelNames: ['stream'] }),
    pendingTrimmed: counter({ name: 'bus_pending_trimmed_total', help: 'Pending entries found deleted from their stream when claimed (dead-lettered as trimmed)', labelNames: ['stream', 'group'] }),
    infraErrors: counter({ name: 'bus_infra_errors_total', help: 'Handler or consumer-loop failures of a dependency (retried without counting an attempt)', labelNames: ['stream', 'group'] }),
    reading: gauge({ name: 'bus_consumer_reading', help: '1 while the consumer can read its streams, 0 while its reads fail', labelNames: ['group', 'consumer'] }),
    groupsRecreated: counter({ name: 'bus_groups_recreated_total', help: 'Consumer groups recreated after NOGROUP (Redis lost its data)', labelNames: ['group'] }),
    pending: gauge({ name: 'bus_group_pending', help: 'Entries delivered to the group and not yet acked', labelNames: ['stream', 'group'] }),
    streamLength: gauge({ name: 'bus_stream_length', help: 'Entries in the stream (XLEN); the trimmer keeps it near STREAM_MAXLEN unless a group lags', labelNames: ['stream'] }),
  };
}
export type BusMetrics = ReturnType<typeof busMetrics>;
