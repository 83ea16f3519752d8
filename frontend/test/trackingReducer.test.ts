import type { OrderView, StatusMessage } from '@pizza/shared/contract';
import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../src/tracking/backoff';
import {
  INITIAL_TRACKING,
  trackingReducer,
  type TrackingAction,
  type TrackingState,
} from '../src/tracking/reducer';

function message(
  status: StatusMessage['status'],
  eventId: string,
  overrides: Partial<StatusMessage> = {},
): TrackingAction {
  return {
    type: 'message',
    message: {
      type: 'status',
      order_id: 'o1',
      status,
      delivery_status: null,
      at: `at-${eventId}`,
      event_id: eventId,
      ...overrides,
    },
  };
}

function snapshot(overrides: Partial<OrderView>): TrackingAction {
  const order: OrderView = {
    id: 'o1',
    status: 'created',
    items: [],
    total: 0,
    customer: { name: 'Ada', address: '1 Loop St' },
    created_at: 't0',
    timeline: [{ status: 'created', at: 't0' }],
    delivery: null,
    ...overrides,
  };
  return { type: 'snapshot', order };
}

const run = (...actions: TrackingAction[]): TrackingState =>
  actions.reduce(trackingReducer, INITIAL_TRACKING);

describe('tracking reducer', () => {
  it('given a snapshot, then the status and the timeline times come from it', () => {
    const state = run(
      snapshot({
        status: 'confirmed',
        timeline: [
          { status: 'created', at: 't0' },
          { status: 'confirmed', at: 't1' },
        ],
      }),
    );
    expect(state.status).toBe('confirmed');
    expect(state.reachedAt).toEqual({ created: 't0', confirmed: 't1' });
  });

  it('when messages arrive in order, then each step is recorded with its time', () => {
    const state = run(message('created', 'e1'), message('confirmed', 'e2'), message('preparing', 'e3'));
    expect(state.status).toBe('preparing');
    expect(state.reachedAt).toEqual({ created: 'at-e1', confirmed: 'at-e2', preparing: 'at-e3' });
  });

  it('when an older status arrives late, then the status does not go back', () => {
    const state = run(message('out_for_delivery', 'e4'), message('confirmed', 'e2'));
    expect(state.status).toBe('out_for_delivery');
  });

  it('when a stale snapshot arrives after a newer message (resync race), then the newer status stays', () => {
    const state = run(message('preparing', 'e3'), snapshot({ status: 'confirmed' }));
    expect(state.status).toBe('preparing');
    expect(state.reachedAt.created).toBe('t0');
  });

  it('when the same event is delivered twice, then the second is ignored', () => {
    const once = run(message('confirmed', 'e2'));
    expect(trackingReducer(once, message('confirmed', 'e2', { at: 'later' }))).toBe(once);
  });

  it('when the order is cancelled, then nothing moves it again', () => {
    const state = run(
      message('confirmed', 'e2'),
      message('cancelled', 'e5'),
      message('preparing', 'e6'),
      snapshot({ status: 'delivered' }),
    );
    expect(state.status).toBe('cancelled');
    expect(state.reachedAt.cancelled).toBe('at-e5');
  });

  it('when delivered, then a late cancel does not change it', () => {
    expect(run(message('delivered', 'e7'), message('cancelled', 'e8')).status).toBe('delivered');
  });

  it('moves the delivery status forward only', () => {
    const state = run(
      message('out_for_delivery', 'e4', { delivery_status: 'on_the_way' }),
      message('out_for_delivery', 'e5', { delivery_status: 'waiting' }),
      snapshot({ status: 'out_for_delivery', delivery: { id: 'd1', status: 'waiting', updated_at: 't' } }),
    );
    expect(state.deliveryStatus).toBe('on_the_way');
  });

  it('keeps the first time it learnt for a step', () => {
    const state = run(
      message('confirmed', 'e2', { at: 'first' }),
      message('confirmed', 'e2b', { at: 'second' }),
    );
    expect(state.reachedAt.confirmed).toBe('first');
  });
});

describe('reconnect backoff', () => {
  const options = { baseMs: 500, maxMs: 15_000 };

  it('doubles with each attempt up to the cap, jittered within the upper half', () => {
    expect(reconnectDelay(0, options, () => 0)).toBe(250);
    expect(reconnectDelay(0, options, () => 1)).toBe(500);
    expect(reconnectDelay(3, options, () => 1)).toBe(4_000);
    expect(reconnectDelay(20, options, () => 1)).toBe(15_000);
    expect(reconnectDelay(20, options, () => 0)).toBe(7_500);
  });
});
