import { childEvent, fromStreamFields, newEvent, toStreamFields } from '../src';

const payload = { order_id: 'o1', next_status: 'confirmed' } as const;

describe('envelope', () => {
  test('a new event starts its own correlation and has no cause', () => {
    const e = newEvent('order.simulate', payload, { source: 'orders', now: new Date('2026-01-01T00:00:00Z') });
    expect(e.correlation_id).toBe(e.event_id);
    expect(e.causation_id).toBeNull();
    expect(e.timestamp).toBe('2026-01-01T00:00:00.000Z');
  });

  test('a child event keeps the correlation and is caused by its parent', () => {
    const parent = newEvent('order.simulate', payload, { source: 'orders', correlationId: 'req-1' });
    const child = childEvent(parent, 'order.status_simulated', { order_id: 'o1', status: 'confirmed' }, { source: 'simulator' });
    expect(child.correlation_id).toBe('req-1');
    expect(child.causation_id).toBe(parent.event_id);
    expect(child.event_id).not.toBe(parent.event_id);
  });

  test('stream fields round-trip to the same envelope', () => {
    const e = newEvent('order.simulate', payload, { source: 'orders' });
    const fields = toStreamFields(e);
    expect(Object.values(fields).every((v) => typeof v === 'string')).toBe(true);
    expect(fromStreamFields(fields)).toEqual({ ok: true, event: e });
  });

  test('a builder refuses a payload that breaks its schema', () => {
    expect(() => newEvent('order.simulate', { order_id: '', next_status: 'confirmed' }, { source: 'x' })).toThrow();
  });

  test('decoding tells an unknown type from an invalid entry', () => {
    expect(fromStreamFields({ event_type: 'x.y', payload: '{}' })).toEqual({ ok: false, reason: 'unknown_type', eventType: 'x.y' });
    const bad = fromStreamFields({ ...toStreamFields(newEvent('order.simulate', payload, { source: 'o' })), payload: '{"order_id":1}' });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    expect(fromStreamFields({ event_type: 'order.simulate', payload: 'not json' })).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
