import { loadConfig, reconcileSettings, type SimulatedDeliveryStatus } from '@pizza/shared';
import { deciderSpec } from '@pizza/shared/testing';
import { DeliveryEnv } from '../src/config';
import {
  evolve,
  evolveAll,
  initialState,
  type DeliveryEvent,
  type DeliveryState,
} from '../src/domain/delivery';
import { publishedHistory, redriveOf } from '../src/domain/redrive';

/** A re-drive as a decider's command: given the delivery's events, when the reconciler looks, then these. */
interface Look {
  now: Date;
  stallMs: number;
  redrivenAt?: Date;
}
const lookAt = (look: Look, state: DeliveryState): DeliveryEvent[] =>
  state ? (redriveOf(state, look.redrivenAt, look.now, look.stallMs)?.events ?? []) : [];
const spec = deciderSpec({ initialState, decide: lookAt, evolve });

const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 10, 0, second));
const ids = { delivery_id: 'd1', order_id: 'o1' };
const STALL_MS = 10_000;
const created: DeliveryEvent = {
  type: 'delivery.created',
  data: { ...ids, status: 'waiting', address: '1 Main St', at: at(0).toISOString() },
};
const onTheWay: DeliveryEvent = {
  type: 'delivery.status_changed',
  data: { ...ids, from: 'waiting', status: 'on_the_way', at: at(1).toISOString() },
};
const delivered: DeliveryEvent = {
  type: 'delivery.status_changed',
  data: { ...ids, from: 'on_the_way', status: 'delivered', at: at(2).toISOString() },
};
const redrive = (next_status: SimulatedDeliveryStatus): DeliveryEvent => ({
  type: 'delivery.simulate',
  data: { ...ids, next_status, redrive: true },
});

describe('re-driving a delivery that made no progress', () => {
  test('given a waiting delivery stalled, then its history again and on_the_way asked for again', () => {
    spec
      .given([created])
      .when({ now: at(10), stallMs: STALL_MS })
      .then([created, redrive('on_the_way')]);
  });

  test('given a delivery on the way stalled, then its history and delivered asked for again', () => {
    spec
      .given([created, onTheWay])
      .when({ now: at(11), stallMs: STALL_MS })
      .then([created, onTheWay, redrive('delivered')]);
  });

  test('given a delivery that moved, or was re-driven, within the bound, or that is delivered, then nothing', () => {
    spec
      .given([created, onTheWay])
      .when({ now: at(10), stallMs: STALL_MS })
      .then([]);
    spec
      .given([created])
      .when({ now: at(15), stallMs: STALL_MS, redrivenAt: at(6) })
      .then([]);
    spec
      .given([created, onTheWay, delivered])
      .when({ now: at(59), stallMs: STALL_MS })
      .then([]);
  });

  test('the history folds back into the same delivery', () => {
    const state = evolveAll(initialState(), [created, onTheWay, delivered]);
    expect(state && evolveAll(initialState(), publishedHistory(state))).toEqual(state);
  });
});

describe('the reconciler settings', () => {
  const base = { REDIS_URL: 'redis://localhost:6379', MONGO_URL: 'mongodb://localhost:27017' };
  test('by default the stall bound is twice the longest simulated step plus a claim, at least 10 s', () => {
    expect(reconcileSettings(loadConfig(DeliveryEnv, base))).toEqual({
      stallMs: 70_000,
      intervalMs: 10_000,
      batchSize: 100,
    });
    const fast = loadConfig(DeliveryEnv, {
      ...base,
      SIMULATOR_MAX_DELAY_MS: '50',
      STREAM_CLAIM_IDLE_MS: '1000',
    });
    expect(reconcileSettings(fast)).toEqual({ stallMs: 10_000, intervalMs: 2_500, batchSize: 100 });
  });

  test('set explicitly, and 0 turns it off', () => {
    const set = loadConfig(DeliveryEnv, { ...base, RECONCILE_STALL_MS: '0', RECONCILE_INTERVAL_MS: '50' });
    expect(reconcileSettings(set)).toMatchObject({ stallMs: 0, intervalMs: 50 });
    expect(() => loadConfig(DeliveryEnv, { ...base, RECONCILE_STALL_MS: 'soon' })).toThrow(
      /RECONCILE_STALL_MS/,
    );
  });
});
