import { STREAM_TOPOLOGY, STREAMS, type StreamName } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { getOrder, placeOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';

/**
 * STREAM_TOPOLOGY (what the system view draws and the docs list) against the services' real wiring, as real
 * processes: the groups are the ones their consumers created on start, the producers the `source` of what
 * they wrote while an order went to the door and the stock was refilled. Nothing here is retyped.
 */
jest.setTimeout(120_000);
const p = usePipeline();
let orders: ServiceProcess;

beforeAll(async () => {
  [orders] = await Promise.all([
    p.spawn('orders'),
    p.spawn('delivery'),
    p.spawn('notifications'),
    p.spawn('simulator'),
  ]);
}, 120_000);

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

async function groupsOf(stream: string): Promise<string[]> {
  if ((await p.redis.exists(stream)) === 0) return [];
  const groups = (await p.redis.xinfo('GROUPS', stream)) as unknown[][];
  return sorted(groups.map((fields) => String(fields[fields.indexOf('name') + 1])));
}

async function sourcesOf(stream: string): Promise<string[]> {
  const entries = await p.redis.xrange(stream, '-', '+');
  return sorted(entries.map(([, fields]) => fields[fields.indexOf('source') + 1] ?? '?'));
}

test('every stream is read by the groups the topology names, and written by the services it names', async () => {
  const streams = Object.keys(STREAM_TOPOLOGY) as StreamName[];
  // Consumers: the groups the running services created.
  for (const stream of streams)
    expect({ stream, groups: await groupsOf(stream) }).toEqual({
      stream,
      groups: sorted(STREAM_TOPOLOGY[stream].groups),
    });

  // Producers: an order all the way, then a refill.
  const order = await placeOrder(orders.url, 0);
  await waitFor(async () => (await getOrder(orders.url, order)).status === 'delivered', {
    timeoutMs: 60_000,
    what: 'the order delivered',
  });
  expect(await p.refill()).toBe(0);
  for (const stream of streams.filter((s) => s !== STREAMS.deadLetters)) {
    const expected = sorted(STREAM_TOPOLOGY[stream].producers);
    await waitFor(async () => (await sourcesOf(stream)).length === expected.length, {
      what: `what was written to ${stream}`,
    });
    expect({ stream, producers: await sourcesOf(stream) }).toEqual({ stream, producers: expected });
  }

  // And no stream exists that the topology does not know.
  const [, present] = await p.redis.scan('0', 'COUNT', 1000, 'TYPE', 'stream');
  expect(present.filter((s) => !streams.includes(s as StreamName))).toEqual([]);
});
