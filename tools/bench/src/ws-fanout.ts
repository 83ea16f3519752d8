/**
 * npm run bench:ws — WebSocket fan-out on one notifications (gateway) process.
 *
 *   --connections N   trackers to hold open (default 10000; capped by the open-files limit, reported)
 *   --rate R          paced update rate, updates/s (default 2000)
 *   --out DIR         where the JSON goes (default bench-results)
 *
 * Orders exist only as events: N `order.created` on orders-stream (token_hash = sha256 of a token we chose),
 * then one `order.status_changed` per order paced at R/s, then one more per order in a single burst.
 * Latency is from the publish (XADD handed to Redis) to the client's receipt, both on this process's clock.
 * Memory per connection = RSS growth of the notifications process from before the first connect to after the last.
 * Connections are capped by the open-files limit (each is a descriptor here and in the gateway), and the cap reported.
 */
import { resolveRedis } from '@pizza/stack';
import { UsageError } from '@pizza/shared';
import { ORDER_LIFECYCLE } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { parseFanoutArgs, WS_USAGE } from './fanout/args';
import { FanoutClients } from './fanout/clients';
import { groupCaughtUp, openBus, orderIds, publishCreated } from './fanout/events';
import { connectionsAllowed, fdLimits } from './fanout/fd-limit';
import { startGatewayProcess } from './fanout/gateway-process';
import { latencies, publishUpdates } from './fanout/publish';
import { renderFanout, writeFanout, type FanoutResult } from './fanout/report';
import { machineInfo } from './machine';
import { memory, ProcessSampler } from './sampler';
import { summarize } from './stats';

/** The first three statuses of the lifecycle: every tracker gets two updates, one paced, one in a burst. */
const [first, second, third] = ORDER_LIFECYCLE.happyPath;

const log = (msg: string) => process.stderr.write(`bench:ws: ${msg}\n`);

async function main(): Promise<number> {
  let args: ReturnType<typeof parseFanoutArgs>;
  try {
    args = parseFanoutArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench:ws: ${error.message}\n${WS_USAGE}\n`);
    return 2;
  }
  const { goal, rate, outDir } = args;
  const n = connectionsAllowed(goal);
  if (n < goal) log(`open-files limit ${fdLimits().soft}: holding ${n} connections, not ${goal}`);

  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const redis = await resolveRedis({ log });
  const bus = openBus(redis.url);
  let live: FanoutClients | undefined;
  let gateway: Awaited<ReturnType<typeof startGatewayProcess>> | undefined;
  try {
    gateway = await startGatewayProcess(redis.url);
    const gw = gateway;
    log(`notifications pid ${gw.pid} at ${gw.url}`);
    const ids = orderIds(n);
    await publishCreated(bus, ids);
    await waitFor(() => groupCaughtUp(bus.redis), {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: 'notifications to cache every order',
    });
    const rssBefore = memory(gw.pid)?.rss ?? Number.NaN;
    const clientRssBefore = process.memoryUsage().rss;

    const clients = (live = new FanoutClients(gw.url.replace('http', 'ws')));
    let lastLog = 0;
    const connect = await clients.connect(ids, {
      parallel: 200,
      timeoutMs: 300_000,
      onProgress: (k) => {
        if (k - lastLog >= 1000) log(`${(lastLog = k)} connected`);
      },
    });
    const rssAfter = memory(gw.pid)?.rss ?? Number.NaN;
    const clientRssAfter = process.memoryUsage().rss;
    log(`${connect.connected} connected in ${(connect.ms / 1000).toFixed(1)} s (${connect.failed} failed)`);
    const tracked = [...clients.arrivalsOf(first).keys()];

    const sampler = new ProcessSampler(
      () => [
        { pid: gw.pid, label: 'notifications' },
        { pid: process.pid, label: 'bench clients' },
      ],
      250,
    );
    sampler.start();
    const paced = await publishUpdates(bus, tracked, { from: first, to: second }, { rate });
    const pacedAll = await clients.waitForArrivals(second, tracked.length, 120_000);
    const pacedCpu = sampler.stop();
    log(
      `paced: ${paced.ratePerSecond.toFixed(0)} updates/s published${pacedAll ? '' : ', some not received'}`,
    );

    const burstSampler = new ProcessSampler(
      () => [
        { pid: gw.pid, label: 'notifications' },
        { pid: process.pid, label: 'bench clients' },
      ],
      250,
    );
    burstSampler.start();
    const burst = await publishUpdates(bus, tracked, { from: second, to: third }, 'burst');
    const burstAll = await clients.waitForArrivals(third, tracked.length, 120_000);
    const burstCpu = burstSampler.stop();
    const burstArrivals = [...clients.arrivalsOf(third).values()];
    const burstDrainMs = burstArrivals.length
      ? Math.max(...burstArrivals) - Math.min(...burst.publishedAt.values())
      : Number.NaN;

    const result: FanoutResult = {
      startedAt,
      machine,
      goal,
      connections: connect,
      gatewayRss: {
        before: rssBefore,
        after: rssAfter,
        perConnection: (rssAfter - rssBefore) / Math.max(1, connect.connected),
      },
      clientRss: { before: clientRssBefore, after: clientRssAfter },
      paced: {
        rate,
        published: paced.ratePerSecond,
        received: clients.arrivalsOf(second).size,
        latency: summarize(latencies(paced, clients.arrivalsOf(second))),
        processes: pacedCpu,
      },
      burst: {
        published: burst.ratePerSecond,
        received: clients.arrivalsOf(third).size,
        drainMs: burstDrainMs,
        latency: summarize(latencies(burst, clients.arrivalsOf(third))),
        processes: burstCpu,
      },
      complete: pacedAll && burstAll,
    };
    process.stdout.write(renderFanout(result));
    process.stdout.write(`\nwritten: ${writeFanout(outDir, result)}\n`);
    return result.complete && connect.connected === n ? 0 : 1;
  } finally {
    live?.closeAll();
    await bus.close().catch(() => undefined);
    await gateway?.handle.stop(10_000);
    await redis.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:ws: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
