/**
 * Imported first by every entry point, before anything that loads express, ioredis or mongodb: the
 * instrumentations patch those modules as they are required, so they must be in place before. With
 * OTEL_EXPORTER_OTLP_ENDPOINT unset nothing is loaded (the instrumentations alone weigh about 15 MiB and
 * 150 ms of start-up) and no module is patched. The spans they make go through the global tracer provider,
 * which `startTracing` registers once the service knows its name.
 */
import type { instrumentModules } from './instrumentations';

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  // A synchronous require, not import(): the patching must be done before the next import of the entry point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('./instrumentations') as { instrumentModules: typeof instrumentModules };
  loaded.instrumentModules();
}
