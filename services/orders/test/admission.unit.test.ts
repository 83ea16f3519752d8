import { loadConfig } from '@pizza/shared';
import { AdmissionEnv, shedReason } from '../src/http/admission';

describe('admission decision', () => {
  const config = loadConfig(AdmissionEnv, {});

  test('defaults bound the in-flight placements and the backlog', () => {
    expect(config).toEqual({ ORDERS_MAX_IN_FLIGHT: 8, ORDERS_MAX_BACKLOG: 1000 });
  });

  test.each([
    [{ inFlight: 0, backlog: 0 }, null],
    [{ inFlight: 7, backlog: 1000 }, null],
    [{ inFlight: 8, backlog: 0 }, 'in_flight'],
    [{ inFlight: 20, backlog: 5000 }, 'in_flight'],
    [{ inFlight: 3, backlog: 1001 }, 'backlog'],
  ] as const)('%o → %s', (load, expected) => {
    expect(shedReason(load, config)).toBe(expected);
  });

  test('a backlog bound of 0 is never checked', () => {
    const unchecked = loadConfig(AdmissionEnv, { ORDERS_MAX_BACKLOG: '0' });
    expect(shedReason({ inFlight: 0, backlog: 1_000_000 }, unchecked)).toBeNull();
  });

  test('an in-flight bound below 1 is refused at start-up', () => {
    expect(() => loadConfig(AdmissionEnv, { ORDERS_MAX_IN_FLIGHT: '0' })).toThrow(/ORDERS_MAX_IN_FLIGHT/);
  });
});
