import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { listen } from '@pizza/shared';

/** One span as OTLP/HTTP JSON carries it (ids in hex), with the service that sent it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  links: { traceId: string; spanId: string }[];
  attributes: Record<string, string | number | boolean | undefined>;
}

/** OTLP span kinds. */
export const KIND = { server: 2, producer: 4, consumer: 5 } as const;

const AnyValue = z
  .object({ stringValue: z.string(), intValue: z.union([z.string(), z.number()]), boolValue: z.boolean() })
  .partial();
const Attributes = z.array(z.object({ key: z.string(), value: AnyValue })).default([]);
const ExportRequest = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: Attributes }),
      scopeSpans: z.array(
        z.object({
          spans: z.array(
            z.object({
              traceId: z.string(),
              spanId: z.string(),
              parentSpanId: z.string().optional(),
              name: z.string(),
              kind: z.number(),
              attributes: Attributes,
              links: z.array(z.object({ traceId: z.string(), spanId: z.string() })).default([]),
            }),
          ),
        }),
      ),
    }),
  ),
});

function attributesOf(list: z.infer<typeof Attributes>): ReceivedSpan['attributes'] {
  return Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue),
    ]),
  );
}

/** A trace backend in the test process: accepts OTLP/HTTP JSON exports on /v1/traces and keeps the spans. */
export async function startOtlpReceiver(): Promise<{
  url: string;
  spans: ReceivedSpan[];
  /** every export as it arrived (decompressed text), to search for what must never be in a trace */
  exports: string[];
  stop(): Promise<void>;
}> {
  const spans: ReceivedSpan[] = [];
  const exports: string[] = [];
  const { port, close } = await listen(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        exports.push(body.toString());
        const parsed =
          req.url === '/v1/traces' ? ExportRequest.safeParse(JSON.parse(body.toString())) : undefined;
        if (!parsed?.success) {
          res.writeHead(400).end();
          return;
        }
        for (const { resource, scopeSpans } of parsed.data.resourceSpans) {
          const service = String(attributesOf(resource.attributes)['service.name']);
          for (const span of scopeSpans.flatMap((s) => s.spans))
            spans.push({
              ...span,
              service,
              parentSpanId: span.parentSpanId ?? '',
              attributes: attributesOf(span.attributes),
            });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    },
    0,
    '127.0.0.1',
  );
  return { url: `http://127.0.0.1:${port}`, spans, exports, stop: close };
}
