import { randomBytes } from 'node:crypto';
import { HttpEnv, loadConfig, removeLocalStack, serverLimitsOf, writeLocalStack } from '@pizza/shared';
import { prepareDataDir, type DataDir } from './data-dir';
import { watchDeadLetters } from './dead-letter-watch';
import { startGateway } from './gateway';
import { superviseInfra } from './infra-supervision';
import { resolveMongo, type MongoInstance } from './infra/mongo';
import { resolveRedis, type RedisInstance } from './infra/redis';
import type { LineSink } from './logs';
import { buildFrontendIfMissing, seedMissing, STATIC_DIR } from './prepare';
import { waitUntilReady } from './readiness';
import { SERVICE_NAMES, spawnService, type ServiceName, type ServiceProcess } from './services';
import { Supervisor, type RestartPolicy } from './supervisor';

export interface StackOptions {
  /** Gateway port; 0 picks a free one. Default: PORT, else 8080. */
  port?: number;
  /** Replicas per service, e.g. `{ notifications: 2 }`. */
  scale?: Partial<Record<ServiceName, number>>;
  /** Extra environment for every service (delays, retries, log level…). */
  env?: Record<string, string>;
  /** Where process output goes; default: nowhere. */
  sink?: LineSink;
  /** Messages of the launcher itself. */
  log?: (message: string) => void;
  /** Warnings of the launcher (a new dead letter); default: `log`. */
  warn?: (message: string) => void;
  /** Build the frontend when no build is present (default true). */
  buildFrontend?: boolean;
  /**
   * Keep Redis's and MongoDB's data in this folder, found again by the next start (npm start: `.data/`);
   * without it, they keep nothing after stop().
   */
  dataDir?: string;
  /** Empty `dataDir` first. */
  fresh?: boolean;
  /** How a process that exits unexpectedly is restarted (default: 1 s doubling to 30 s, 5 crashes a minute). */
  restartPolicy?: RestartPolicy;
  /**
   * Aborting gives up starting: checked between steps and while waiting for readiness; whatever was
   * started is stopped and startStack rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

/** One process of the stack, by the name the log uses. */
export interface StackProcess {
  name: string;
  pid: number;
}

export interface Stack {
  url: string;
  port: number;
  redisUrl: string;
  mongoUrl: string;
  mongoDb: string;
  mongoKind: MongoInstance['kind'];
  adminToken: string;
  /** Where the data lives, when it is kept. */
  dataDir?: string;
  /** The replicas running now: a restarted one takes the place of the one it replaces. */
  services: ServiceProcess[];
  /** Every process the stack started that is still meant to run (services, Redis, MongoDB stand-in). */
  pids(): number[];
  /** The same, with names: services by label, then `redis` and `mongo-lite` when the stack runs them. */
  processes(): StackProcess[];
  /** Kills one replica with `signal` and starts a new one in its place (fault tests). */
  restart(label: string, signal?: NodeJS.Signals): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const quiet: LineSink = () => undefined;

/**
 * Runs the whole system on this machine: Redis and MongoDB per the contract's resolution (their data in
 * `dataDir` when given), the menu's missing items seeded, the frontend built when missing, every service as
 * its own process, and one gateway origin. Resolves once every service's readiness answers 200. From then
 * on a process that exits unexpectedly is restarted (see RestartPolicy). `stop()` ends every process it started.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const sink = options.sink ?? quiet;
  const signal = options.signal;
  // The gateway is an HTTP server like the services: the same HTTP_* settings, checked before anything starts.
  const gatewayLimits = serverLimitsOf(loadConfig(HttpEnv, { ...process.env, ...options.env }));
  const cleanup: (() => Promise<void>)[] = [];
  const supervisors: { stop(): void }[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const supervisor of supervisors) supervisor.stop();
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    signal?.throwIfAborted();
    const data: DataDir | undefined = options.dataDir ? prepareDataDir(options.dataDir, { fresh: options.fresh }) : undefined;
    if (data && options.fresh) log(`data: started afresh in ${data.root}`);
    // Replaced by the supervised process's stop once there is one: stopping ends what runs then.
    const stopInfra = { redis: () => Promise.resolve(), mongo: () => Promise.resolve() };
    const redis: RedisInstance = await resolveRedis({ log, dir: data?.redis });
    stopInfra.redis = () => redis.stop();
    cleanup.push(() => stopInfra.redis());
    signal?.throwIfAborted();
    const mongo: MongoInstance = await resolveMongo({ log, dbpath: data?.mongo });
    stopInfra.mongo = () => mongo.stop();
    cleanup.push(() => stopInfra.mongo());
    signal?.throwIfAborted();
    const mongoDb = options.env?.MONGO_DB ?? process.env.MONGO_DB ?? 'pizza';
    await seedMissing(mongo.url, mongoDb, log);
    signal?.throwIfAborted();
    if (options.buildFrontend !== false) await buildFrontendIfMissing(log, sink);
    signal?.throwIfAborted();

    const adminToken = options.env?.ADMIN_TOKEN ?? process.env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      REDIS_URL: redis.url,
      MONGO_URL: mongo.url,
      MONGO_DB: mongoDb,
      ADMIN_TOKEN: adminToken,
    };
    const services: ServiceProcess[] = [];
    cleanup.push(async () => {
      await Promise.all(services.map((s) => s.handle.stop()));
    });
    const launches = SERVICE_NAMES.flatMap((name) =>
      Array.from({ length: Math.max(1, options.scale?.[name] ?? 1) }, (_, i) => [name, i === 0 ? name : `${name}-${i + 1}`] as const),
    );
    // Started together: each waits on its own port line, so the slowest sets the pace.
    const started = await Promise.allSettled(launches.map(([name, label]) => spawnService(name, label, env, sink)));
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    signal?.throwIfAborted();

    const urlsOf = (name: ServiceName) => services.filter((s) => s.name === name).map((s) => s.url);
    const gateway = await startGateway({
      port: options.port ?? Number(process.env.PORT ?? 8080),
      staticDir: STATIC_DIR,
      orders: () => urlsOf('orders'),
      notifications: () => urlsOf('notifications'),
      limits: gatewayLimits,
      // The gateway's access log only at debug: at 10 orders/s it would drown everything else.
      accessLog: ['debug', 'trace'].includes(env.LOG_LEVEL ?? '') ? (line) => sink('gateway', line) : undefined,
    });
    cleanup.push(() => gateway.close());
    await waitUntilReady(services, { timeoutMs: 60_000, signal });

    // From here on a process should only end when stopped: one that dies is brought back.
    const policy = options.restartPolicy;
    const serviceSupervisors = new Map<string, Supervisor<ServiceProcess>>();
    services.forEach((first, index) => {
      const supervisor = new Supervisor(first, {
        label: first.label,
        start: () => spawnService(first.name, first.label, env, sink),
        onReplaced: (fresh) => (services[index] = fresh),
        log,
        policy,
      });
      serviceSupervisors.set(first.label, supervisor);
      supervisors.push(supervisor);
    });
    const infra = superviseInfra(redis, mongo, data !== undefined, { log, policy, isStopping: () => stopping });
    supervisors.push(...infra.supervisors);
    for (const p of infra.processes) stopInfra[p.name === 'redis' ? 'redis' : 'mongo'] = p.stop;

    const deadLetters = await watchDeadLetters(redis.url, options.warn ?? log);
    cleanup.push(() => deadLetters.stop());

    const url = `http://localhost:${gateway.port}`;
    if (data) {
      writeLocalStack(data.root, {
        launcher_pid: process.pid,
        started_at: new Date().toISOString(),
        data_dir: data.root,
        gateway_url: url,
        redis_url: redis.url,
        mongo_url: mongo.url,
        mongo_db: mongoDb,
        admin_token: adminToken,
      });
      cleanup.unshift(async () => removeLocalStack(data.root));
    }
    const processes = (): StackProcess[] => [
      ...services.map((s) => ({ name: s.label, pid: s.pid })),
      ...infra.processes.flatMap((p) => {
        const pid = p.pid();
        return pid ? [{ name: p.name, pid }] : [];
      }),
    ];
    return {
      url,
      port: gateway.port,
      redisUrl: redis.url,
      mongoUrl: mongo.url,
      mongoDb,
      mongoKind: mongo.kind,
      adminToken,
      dataDir: data?.root,
      services,
      pids: () => processes().map((p) => p.pid),
      processes,
      restart: async (label, signal = 'SIGKILL') => {
        const supervisor = serviceSupervisors.get(label);
        if (!supervisor) throw new Error(`no process labelled ${label}`);
        return supervisor.replace(signal);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
