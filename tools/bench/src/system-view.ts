/**
 * npm run bench:system-view — what the live system view costs the gateway, by number of viewers.
 *
 *   --seconds S   length of each measured window (default 10)
 *   --viewers N   the large number of viewers (default 1000; capped by the open-files limit, reported)
 *
 * One notifications process on a private Redis, an idle system (no orders). For 0, 1 and N viewers of
 * `/ws/v1/system`: Redis commands per second (INFO commandstats, the bench's own INFO left out) and the
 * gateway's CPU (user + system) per second. The view is computed once per tick whatever the viewers, so
 * commands/s should not move between 1 and N; CPU grows only by the sends.
 */
import WebSocket from 'ws';
import Redis from 'ioredis';
import { resolveRedis } from '@pizza/stack';
import { parseCommandLine, renderTable, runCommand, WS_SYSTEM_PATH } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { countDelta, parseCommandStats } from './commandstats';
import { cpuMsOf, cpuSource } from './cpu-time';
import { connectionsAllowed } from './fanout/fd-limit';
import { startGatewayProcess } from './fanout/gateway-process';

const USAGE = 'usage: npm run bench:system-view [-- --seconds S --viewers N]';

const log = (msg: string) => process.stderr.write(`bench:system-view: ${msg}\n`);

interface Window {
  viewers: number;
  commandsPerSecond: number;
  cpuMsPerSecond: number | undefined;
  messagesPerViewerPerSecond: number;
  topCommands: Record<string, number>;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    args: process.argv.slice(2),
    strict: true,
    options: { seconds: { type: 'string', default: '10' }, viewers: { type: 'string', default: '1000' } },
  });
  const seconds = Number(values.seconds);
  const many = connectionsAllowed(Number(values.viewers));
  const redisInstance = await resolveRedis({ log });
  const redis = new Redis(redisInstance.url);
  const gateway = await startGatewayProcess(redisInstance.url, { LOG_LEVEL: 'warn' });
  const source = cpuSource();
  const sockets: WebSocket[] = [];
  let received = 0;
  const results: Window[] = [];
  try {
    for (const viewers of [0, 1, many]) {
      while (sockets.length < viewers) {
        const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}${WS_SYSTEM_PATH}`);
        ws.on('message', () => received++);
        sockets.push(ws);
      }
      await waitFor(() => sockets.every((s) => s.readyState === WebSocket.OPEN), {
        timeoutMs: 60_000,
        what: 'viewers open',
      });
      // One tick to settle, then the window.
      const settle = Date.now() + 1_500;
      await waitFor(() => Date.now() > settle, { intervalMs: 100 });
      const before = parseCommandStats(await redis.info('commandstats'));
      const cpuBefore = cpuMsOf(gateway.pid, source);
      const receivedBefore = received;
      const started = Date.now();
      const end = started + seconds * 1000;
      await waitFor(() => Date.now() > end, { timeoutMs: seconds * 1000 + 5_000, intervalMs: 100 });
      const elapsed = (Date.now() - started) / 1000;
      const delta = countDelta(before, parseCommandStats(await redis.info('commandstats')), ['info']);
      const cpuAfter = cpuMsOf(gateway.pid, source);
      const total = Object.values(delta).reduce((a, b) => a + b, 0);
      results.push({
        viewers,
        commandsPerSecond: Math.round((total / elapsed) * 10) / 10,
        cpuMsPerSecond:
          cpuBefore === undefined || cpuAfter === undefined
            ? undefined
            : Math.round(((cpuAfter - cpuBefore) / elapsed) * 10) / 10,
        messagesPerViewerPerSecond:
          viewers === 0 ? 0 : Math.round(((received - receivedBefore) / viewers / elapsed) * 100) / 100,
        topCommands: Object.fromEntries(
          Object.entries(delta)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6),
        ),
      });
      log(`${viewers} viewers measured`);
    }
  } finally {
    for (const ws of sockets) ws.terminate();
    await gateway.handle.stop(5_000);
    await redis.quit();
    await redisInstance.stop();
  }
  const rows = results.map((r) =>
    [r.viewers, r.commandsPerSecond, r.cpuMsPerSecond ?? 'n/a', r.messagesPerViewerPerSecond].map(String),
  );
  process.stdout.write(
    `${renderTable(['viewers', 'redis cmd/s', 'gateway CPU ms/s', 'snapshots/viewer/s'], rows, { figures: true })}\n`,
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
  return 0;
}

runCommand(main, { name: 'bench:system-view', usage: USAGE });
