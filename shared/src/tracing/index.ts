export { startTracing, type Tracing, type TracingSettings } from './provider';
export {
  activeTraceFields,
  activeTraceparent,
  inBatchSpan,
  inConsumerSpan,
  inPushSpan,
  tracingEnabled,
  withProducerSpans,
  type ConsumedEntry,
} from './spans';
