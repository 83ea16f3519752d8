import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';

/** Probes and scrapes would be most of the traces and tell nothing. */
const UNTRACED_PATHS = /^\/(metrics|api\/v1\/health)(\/|\?|$)/;

/**
 * Query parameters whose values server spans show as REDACTED in `url.query`: the tracking token of old
 * `?token=` links, and the instrumentation's own defaults (signed-URL secrets), which setting the list replaces.
 */
export const REDACTED_QUERY_PARAMS = [
  'token',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

/** Patches http, express, ioredis and mongodb as they are required from now on. */
export function instrumentModules(): void {
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
      }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Only commands made on behalf of a request or an event: not the bus's blocking reads and timers.
      new IORedisInstrumentation({ requireParentSpan: true }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
    ],
  });
}
