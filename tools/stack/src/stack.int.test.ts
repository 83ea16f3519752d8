import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropExternalDbs, trickleUntilCutOff, uniqueDbName } from '@pizza/shared/testing';
import { spawnChild } from './infra/process';
import type { ServiceProcess } from './services';
import { waitUntilReady } from './readiness';
import { startStack } from './stack';

/** A "service" that never answers its readiness and exits after `ms`. */
function dyingService(label: string, ms: number): ServiceProcess {
  const handle = spawnChild(process.execPath, ['-e', `setTimeout(() => process.exit(3), ${ms})`]);
  return { name: 'orders', label, url: 'http://127.0.0.1:9', pid: handle.child.pid ?? 0, handle };
}

describe('waiting for readiness', () => {
  it('when a service exits before it is ready, then it fails at once naming the service', async () => {
    const started = Date.now();
    await expect(waitUntilReady([dyingService('orders-2', 200)], { timeoutMs: 30_000 })).rejects.toThrow(
      /orders-2 exited before it was ready \(exit code 3\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('when start-up is aborted, then the wait ends with the reason', async () => {
    const service = dyingService('orders', 20_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGINT during start-up')), 200);
    try {
      await expect(waitUntilReady([service], { timeoutMs: 30_000, signal: controller.signal })).rejects.toThrow(
        'SIGINT during start-up',
      );
    } finally {
      await service.handle.stop(1_000);
    }
  });
});

/** Whether `pid` still runs: gone, or a zombie nobody reaped (PID 1 in some containers), is not running. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return true;
  }
}

describe('children of a launcher that dies', () => {
  it('are killed when it exits', () => {
    const script = [
      `const { spawnChild } = require(${JSON.stringify(join(__dirname, 'infra', 'process.ts'))});`,
      `const handle = spawnChild('sleep', ['30']);`,
      `console.log(handle.child.pid);`,
      `setTimeout(() => { throw new Error('launcher crash'); }, 100);`,
    ].join('\n');
    let output = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(running(pid)).toBe(false);
  });
});

describe('the gateway, an HTTP server like the services', () => {
  it('refuses a bad HTTP_* setting, naming it, before it starts anything', async () => {
    await expect(startStack({ port: 0, env: { HTTP_REQUEST_TIMEOUT_MS: 'soon' } })).rejects.toThrow(
      /HTTP_REQUEST_TIMEOUT_MS/,
    );
  });

  it('cuts off a client that trickles its request head after HTTP_HEADERS_TIMEOUT_MS', async () => {
    // A head is the gateway's alone: it proxies nothing before the head is complete. (A slow body would be
    // cut off by the order service behind it too, with the same setting.)
    const MONGO_DB = uniqueDbName('gateway-limits');
    const stack = await startStack({
      port: 0,
      buildFrontend: false,
      env: { MONGO_DB, HTTP_HEADERS_TIMEOUT_MS: '800', LOG_LEVEL: 'warn' },
    });
    try {
      const slowHead = ['GET /api/v1/menu HTTP/1.1\r\nHost: x\r\nX-Slow: '];
      expect(await trickleUntilCutOff(stack.port, slowHead, 800)).toMatchObject({
        status: 408,
        cutOff: 'in time',
      });
    } finally {
      await stack.stop();
      await dropExternalDbs(MONGO_DB);
    }
  }, 180_000);
});
