/**
 * Imported first by every entry point, before anything that loads express, ioredis or mongodb: the
 * instrumentations patch those modules as they are required, so they must be in place before. With
 * OTEL_EXPORTER_OTLP_ENDPOINT unset nothing is registered and no module is patched. The spans they make go
 * through the global tracer provider, which `startTracing` registers once the service knows its name.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';

/** Probes and scrapes would be most of the traces and tell nothing. */
const UNTRACED_PATHS = /^\/(metrics|api\/v1\/health)(\/|\?|$)/;

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? '') }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Only commands made on behalf of a request or an event: not the bus's blocking reads and timers.
      new IORedisInstrumentation({ requireParentSpan: true }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
    ],
  });
}
