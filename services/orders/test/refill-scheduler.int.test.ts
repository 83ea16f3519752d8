import { join } from 'node:path';
import { listeningPort, spawnChild, waitForLine } from '@pizza/stack';
import { registry } from '@pizza/shared';
import { metricIn, metricValue, waitFor } from '@pizza/shared/testing';
import { startScheduler, type RunningScheduler } from '../src/refill-scheduler';
import { menuItem } from './support/stack';
import { runOrdersScript, useRefillStack } from './support/refill-stack';

jest.setTimeout(60_000);

const stack = useRefillStack();
const menuDoc = (id: string, stock: number, targetStock: number) =>
  menuItem(id, stock, { target_stock: targetStock });
const running: RunningScheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(cron: string): Promise<RunningScheduler> {
  const scheduler = await startScheduler({
    ...stack.env,
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    STOCK_REFILL_CRON: cron,
  });
  running.push(scheduler);
  return scheduler;
}

const runsCounted = (port: number, result: string) =>
  metricValue(`http://127.0.0.1:${port}`, 'stock_refill_runs_total', { result });

describe('stock refill scheduler', () => {
  test('it answers health and refills on its cron tick, publishing menu.restocked', async () => {
    await stack.menu.insertOne(menuDoc('margherita', 2, 12));
    // Read in this process before the scheduler starts: its first tick may come before its port answers.
    const okBefore = metricIn(await registry.metrics(), 'stock_refill_runs_total', { result: 'ok' });
    const scheduler = await start('* * * * * *'); // every second: the tick comes without a long wait
    const health = await fetch(`http://127.0.0.1:${scheduler.port}/api/v1/health`);
    expect(health.status).toBe(200);
    await waitFor(async () => (await stack.restockedEvents()).length === 1, { what: 'a scheduled refill' });
    const menu = await stack.menu.findOne({ _id: 'margherita' });
    expect(menu?.stock).toBe(12);
    // This run, at least: a tick each second may have run again since.
    expect(await runsCounted(scheduler.port, 'ok')).toBeGreaterThan(okBefore);
  });

  test('two refills asked for at once run one, and the other is skipped and counted', async () => {
    await stack.menu.insertOne(menuDoc('cola', 0, 5));
    const scheduler = await start('0 0 1 1 *'); // yearly: no tick interferes
    const skippedBefore = await runsCounted(scheduler.port, 'skipped');
    const outcomes = await Promise.all([scheduler.runOnce(), scheduler.runOnce()]);
    expect(outcomes).toEqual(['ok', 'skipped']);
    expect(await runsCounted(scheduler.port, 'skipped')).toBe(skippedBefore + 1);
    await waitFor(async () => (await stack.restockedEvents()).length === 1, { what: 'the relay to publish' });
  });

  test('as a process it serves health on HTTP_PORT and exits 0 on SIGTERM', async () => {
    const child = spawnChild(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'src', 'refill-scheduler.ts')],
      {
        env: { PATH: process.env.PATH ?? '', ...stack.env, HTTP_PORT: '0', LOG_LEVEL: 'info' },
      },
    );
    try {
      const line = await waitForLine(child, (l) => listeningPort(l) !== undefined, {
        timeoutMs: 30_000,
        what: 'scheduler',
      });
      const port = listeningPort(line);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
      child.child.stdout?.resume();
      child.child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    } finally {
      await child.stop();
    }
  });

  test('an invalid STOCK_REFILL_CRON stops the process with exit 1 naming it', async () => {
    const result = await runOrdersScript('refill-scheduler.ts', [], {
      ...stack.env,
      STOCK_REFILL_CRON: 'every tuesday',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('STOCK_REFILL_CRON');
  });
});
