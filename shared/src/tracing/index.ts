export { startTracing, type Tracing, type TracingSettings } from './provider';
export {
  activeTraceFields,
  activeTraceparent,
  inBatchSpan,
  inConsumerSpan,
  inPushSpan,
  inTraceOf,
  tracingEnabled,
  withProducerSpans,
  type ConsumedEntry,
} from './spans';
