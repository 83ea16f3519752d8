import { existsSync } from 'node:fs';
import { fdLimits, fdLimitsFromShell } from './fanout/fd-limit';
import { psSeconds, psUsage } from './sampler';

/** What the bench reads from /proc, read the way it is where there is no /proc (macOS). */
describe('without /proc', () => {
  test('ps CPU times of every shape read as seconds', () => {
    expect(psSeconds('00:00:07')).toBe(7);
    expect(psSeconds('1:02.50')).toBeCloseTo(62.5);
    expect(psSeconds('01:02:03')).toBe(3723);
    expect(psSeconds('2-00:00:01')).toBe(172_801);
  });

  test('ps gives this process its memory and CPU time', () => {
    const usage = psUsage(process.pid);
    expect(usage?.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(usage?.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(psUsage(2 ** 22 + 1)).toBeUndefined(); // above the largest pid Linux allows
  });

  test('the shell reports the same open-files limits /proc does', () => {
    const fromShell = fdLimitsFromShell();
    expect(fromShell.soft).toBeGreaterThan(0);
    if (existsSync('/proc/self/limits')) expect(fromShell).toEqual(fdLimits());
  });
});
