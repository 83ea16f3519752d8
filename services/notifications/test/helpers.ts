import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { resolveRedis, type RedisInstance } from '@pizza/stack';
import {
  fieldsToList,
  streamOf,
  toStreamFields,
  TrackingMessage,
  type Envelope,
  type RunningService,
} from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import type { TrackingState } from '../src/domain/tracking';
import { start } from '../src/main';

export { happyPath, JOURNEY, orderEvents, sha256 } from './order-events';

/** One private Redis per test file, flushed between tests; gateways started in a test are stopped after it. */
export function useGatewayHarness() {
  const state: { redis?: RedisInstance; client?: Redis; running: RunningService[]; sockets: WebSocket[] } = {
    running: [],
    sockets: [],
  };
  beforeAll(async () => {
    state.redis = await resolveRedis();
    state.client = new Redis(state.redis.url);
  });
  afterEach(async () => {
    for (const ws of state.sockets.splice(0)) ws.terminate();
    await Promise.all(state.running.splice(0).map((s) => s.stop()));
    await state.client?.flushdb();
  });
  afterAll(async () => {
    await state.client?.quit();
    await state.redis?.stop();
  });
  return {
    get redis() {
      return state.client!;
    },
    async gateway(env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
      const service = await start({
        REDIS_URL: state.redis!.url,
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        CONSUMER_NAME: `notifications-${randomUUID().slice(0, 8)}`,
        STREAM_CLAIM_IDLE_MS: '200',
        STREAM_MAX_RETRIES: '5',
        WS_UNKNOWN_ORDER_GRACE_MS: '2000',
        ...env,
      });
      state.running.push(service);
      return service;
    },
    track(ws: WebSocket): WebSocket {
      state.sockets.push(ws);
      return ws;
    },
  };
}

/** A cached `created` state of an order at the given rank, for tests that feed the gateway directly. */
export const trackingState = (orderId: string, rank = 1): TrackingState => ({
  order_id: orderId,
  status: 'created',
  delivery_status: null,
  at: new Date().toISOString(),
  event_id: `e-${orderId}-${rank}`,
  rank,
  ts: new Date().toISOString(),
});

/** Writes events as the services' outboxes would. */
export async function publish(redis: Redis, ...events: Envelope[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.xadd(streamOf(event), '*', ...fieldsToList(toStreamFields(event)));
  await pipeline.exec();
}

/** A tracking client that records what it receives. */
export class Watcher {
  readonly messages: TrackingMessage[] = [];
  closeCode: number | undefined;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(TrackingMessage.parse(JSON.parse(String(data)))));
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static connect(
    port: number,
    orderId: string,
    token: string | undefined,
    options: WebSocket.ClientOptions = {},
  ) {
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    return new Watcher(
      new WebSocket(
        `ws://127.0.0.1:${port}/ws/v1/order-tracking/${encodeURIComponent(orderId)}${query}`,
        options,
      ),
    );
  }

  /** Statuses seen so far as "status/delivery_status". */
  get sequence(): string[] {
    return this.messages.flatMap((m) => (m.type === 'status' ? [`${m.status}/${m.delivery_status}`] : []));
  }

  async waitForSequence(length: number, timeoutMs = 10_000): Promise<string[]> {
    try {
      await waitFor(() => this.sequence.length >= length, { timeoutMs, what: `${length} statuses` });
    } catch (error) {
      throw new Error(`${String(error)}; received: ${this.sequence.join(', ') || 'nothing'}`);
    }
    return this.sequence;
  }
}

/** How a socket ended: its upgrade refused (the answer's status and Retry-After), or its close code once open. */
export function upgradeEnding(
  ws: WebSocket,
): Promise<{ status: number; retryAfter: number } | { code: number }> {
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after']) });
      res.resume();
    });
    ws.once('close', (code) => resolve({ code }));
    ws.once('error', () => undefined); // a refused upgrade ends here too, after the answer above
  });
}
