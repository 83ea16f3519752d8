/**
 * One order's path is one trace: the real services (startStack) export their spans over OTLP/HTTP to a receiver
 * in this process. The trace context crosses Redis Streams only in the envelope's `traceparent`, so without it
 * every consumer would start a trace of its own.
 */
import { startStack, type Stack } from '@pizza/stack';
import {
  CreatedOrder,
  MenuResponse,
  ORDER_LIFECYCLE,
  TrackingMessage,
  WS_TRACKING_PATH,
} from '@pizza/shared/contract';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName, waitFor } from '@pizza/shared/testing';
import WebSocket from 'ws';
import { KIND, startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';

jest.setTimeout(180_000);

const MONGO_DB = uniqueDbName('traces');
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStack({
    port: 0,
    buildFrontend: false,
    env: {
      ...GENEROUS_LIMITS_ENV,
      MONGO_DB,
      SIMULATOR_MIN_DELAY_MS: '0',
      SIMULATOR_MAX_DELAY_MS: '20',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
  await dropExternalDbs(MONGO_DB);
});

async function placeOrder(): Promise<CreatedOrder> {
  const menu = MenuResponse.parse(await (await fetch(`${stack.url}/api/v1/menu`)).json());
  const item = menu.items.find((i) => i.stock > 0);
  const response = await fetch(`${stack.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: item?.id, quantity: 1 }],
      customer: { name: 'Ada', address: '1 Trace Lane' },
    }),
  });
  expect(response.status).toBe(201);
  return CreatedOrder.parse(await response.json());
}

/** Tracks the order over WebSocket until it is delivered; returns the statuses seen. */
async function trackUntilDelivered(order: CreatedOrder): Promise<string[]> {
  const socket = new WebSocket(`${stack.url.replace(/^http/, 'ws')}${WS_TRACKING_PATH}${order.id}`, [
    'pizza-tracking.v1',
    `token.${order.tracking_token}`,
  ]);
  const statuses: string[] = [];
  socket.on('message', (data: WebSocket.RawData) => {
    const message = TrackingMessage.parse(JSON.parse(data.toString()));
    if (message.type === 'status') statuses.push(message.status);
  });
  try {
    await waitFor(() => statuses.includes('delivered'), {
      timeoutMs: 60_000,
      what: `delivery (seen: ${statuses.join(', ')})`,
    });
  } finally {
    socket.close();
  }
  return statuses;
}

const isPlaceOrder = (s: ReceivedSpan) =>
  s.service === 'orders' &&
  s.kind === KIND.server &&
  s.attributes['http.route'] === '/api/v1/orders' &&
  s.name.startsWith('POST');

it('follows one order from its POST through every handler to every WebSocket push in one trace', async () => {
  const order = await placeOrder();
  await trackUntilDelivered(order);

  const post = await waitFor(() => receiver.spans.find(isPlaceOrder), {
    what: 'the POST /api/v1/orders server span',
  });
  const inTrace = () => receiver.spans.filter((s) => s.traceId === post.traceId);
  const pushedStatuses = () =>
    inTrace()
      .filter((s) => s.name === 'ws push')
      .map((s) => s.attributes['pizza.status']);
  const consumersOf = (spans: ReceivedSpan[]) =>
    spans.filter((s) => s.kind === KIND.consumer && s.name.endsWith(' process'));
  // Spans come from four processes, each exporting in its own batches: wait until every consumer span's
  // parent has come in too (without the envelope's traceparent they have none in this trace, and this waits in vain).
  const complete = () => {
    const spans = inTrace();
    const ids = new Set(spans.map((s) => s.spanId));
    return (
      pushedStatuses().includes('delivered') &&
      spans.some((s) => s.service === 'simulator') &&
      consumersOf(spans).every((c) => ids.has(c.parentSpanId))
    );
  };
  await waitFor(complete, {
    timeoutMs: 15_000,
    what: "the trace's spans, each consumer's producer included",
  });
  const spans = inTrace();

  expect([...new Set(spans.map((s) => s.service))]).toEqual(
    expect.arrayContaining(['orders', 'delivery', 'notifications', 'simulator']),
  );
  for (const service of ['orders', 'delivery', 'notifications', 'simulator'])
    expect(spans.filter((s) => s.service === service && s.kind === KIND.consumer).length).toBeGreaterThan(0);

  // Each consumer span continues the producer span of the entry it handled: its parent, across processes.
  const producers = new Map(spans.filter((s) => s.kind === KIND.producer).map((s) => [s.spanId, s]));
  const consumers = consumersOf(spans);
  for (const consumer of consumers) {
    const producer = producers.get(consumer.parentSpanId);
    expect(producer?.attributes['messaging.message.id']).toBe(consumer.attributes['messaging.message.id']);
  }
  // Every entry of the order, in whatever process and batch it was handled, is in this one trace.
  const correlation = consumers[0]?.attributes['pizza.correlation_id'];
  const ofOrder = receiver.spans.filter(
    (s) => s.kind === KIND.consumer && s.attributes['pizza.correlation_id'] === correlation,
  );
  expect(ofOrder.filter((s) => s.traceId !== post.traceId)).toEqual([]);
  // A batch span (its own trace) links to each entry it applied.
  for (const batch of receiver.spans.filter((s) => s.name.endsWith(' batch')))
    expect(batch.links.length).toBe(batch.attributes['messaging.batch.message_count']);

  expect(pushedStatuses()).toEqual(expect.arrayContaining(ORDER_LIFECYCLE.happyPath.slice(1)));
});

it('shows the tracking token of an old ?token= link as REDACTED in server spans, and nowhere in any export', async () => {
  const order = await placeOrder();
  const path = `/api/v1/orders/${order.id}`;
  const read = await fetch(`${stack.url}${path}?token=${encodeURIComponent(order.tracking_token)}`);
  expect(read.status).toBe(200);
  await read.text();

  const span = await waitFor(
    () =>
      receiver.spans.find(
        (s) => s.service === 'orders' && s.kind === KIND.server && s.attributes['url.path'] === path,
      ),
    { what: `the server span of GET ${path}` },
  );
  expect(span.attributes['url.query']).toBe('token=REDACTED');
  expect(receiver.exports.filter((body) => body.includes(order.tracking_token))).toEqual([]);
});
