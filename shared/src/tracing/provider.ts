import { setTracingEnabled } from './spans';

export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const noTracing: Tracing = { shutdown: async () => undefined };
let running: { provider: Promise<{ shutdown(): Promise<void> }>; users: number } | undefined;

/**
 * Registers the SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set, with service.name OTEL_SERVICE_NAME or the
 * service's own name; the other OTEL_* variables (sampler, batching) are the SDK's own. Unset: the SDK is not
 * even loaded, and every helper in `spans.ts` returns at its first line.
 */
export async function startTracing(service: string, settings: TracingSettings): Promise<Tracing> {
  const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return noTracing;
  running ??= {
    provider: import('./sdk').then(({ registerProvider }) =>
      registerProvider(settings.OTEL_SERVICE_NAME ?? service, endpoint),
    ),
    users: 0,
  };
  const current = running;
  current.users++;
  await current.provider;
  setTracingEnabled(true);
  return {
    shutdown: async () => {
      // One provider per process: the last service of it to stop flushes and closes it.
      if (--current.users > 0) return;
      if (running === current) {
        running = undefined;
        setTracingEnabled(false);
      }
      await (await current.provider).shutdown();
    },
  };
}
