import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { Express } from 'express';
import type { z } from 'zod';
import { EventBus, type ConsumerOptions } from './bus';
import { loadConfig, type BaseEnv, type MongoEnv } from './config';
import { createHttpApp, finishApp, type ReadinessChecks } from './http/app';
import { parseTrustProxy, type TrustProxy } from './http/client-address';
import { listen, serverLimitsOf } from './http/server';
import { createLogger, type Logger } from './logger';
import { connectMongo, mongoTimeoutsOf, type MongoHandle } from './mongo/client';
import { startTracing } from './tracing';

type Base = z.infer<typeof BaseEnv>;
type WithMongo = Base & z.infer<typeof MongoEnv>;

export interface ServiceContext<C extends Base> {
  config: C;
  logger: Logger;
  bus: EventBus;
  app: Express;
  /** `${service}-${hostname}-${pid}` unless CONSUMER_NAME is set: unique per replica. */
  consumerName: string;
  /** TRUST_PROXY, compiled: who may name the client in X-Forwarded-For (the WebSocket gateway uses it too). */
  trustProxy: TrustProxy;
  /** Consumer options from the environment (retries, claim idle time). */
  consumerDefaults: Pick<ConsumerOptions, 'maxRetries' | 'claimIdleMs' | 'consumer'>;
}

export interface ServiceParts {
  /** Consumers to start once HTTP is up; stopped (drained) first on shutdown. */
  consumers?: Omit<ConsumerOptions, 'maxRetries' | 'claimIdleMs' | 'consumer'>[];
  /** Started after the consumers, stopped after them (outbox relays, timers, WebSocket servers). */
  start?: () => Promise<void> | void;
  stop?: () => Promise<void>;
  /** Called with the HTTP server once it listens (the WebSocket gateway attaches to it). */
  onListening?: (server: Server) => void;
}

export interface RunningService {
  port: number;
  logger: Logger;
  /** SHUTDOWN_TIMEOUT_MS: the deadline `runMain` gives `stop()` on a signal. */
  shutdownTimeoutMs: number;
  stop(): Promise<void>;
}

interface Options<S extends z.ZodType<Base>, C extends Base> {
  name: string;
  schema: S;
  env?: NodeJS.ProcessEnv;
  setup(context: ServiceContext<C>, mongo: C extends WithMongo ? MongoHandle : undefined): Promise<ServiceParts>;
}

/**
 * The one way a service starts: validate the environment, connect, build the HTTP basics (health, readiness,
 * metrics), let the service add its routes and consumers, listen. `stop()` undoes it in reverse order:
 * stop accepting HTTP, drain consumers, stop the service's own parts, close Redis and MongoDB.
 */
export async function startService<S extends z.ZodType<Base>>(
  options: Options<S, z.infer<S>>,
): Promise<RunningService> {
  type C = z.infer<S>;
  const config = loadConfig(options.schema, options.env ?? process.env) as C;
  const service = config.SERVICE_NAME ?? options.name;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const consumerName = config.CONSUMER_NAME ?? `${service}-${hostname()}-${process.pid}`;
  const tracing = await startTracing(service, config);

  const mongoUrl = (config as Partial<WithMongo>).MONGO_URL;
  const mongo = mongoUrl
    ? await connectMongo(mongoUrl, (config as WithMongo).MONGO_DB, service, mongoTimeoutsOf(config as Partial<WithMongo>))
    : undefined;
  const bus = new EventBus({
    redisUrl: config.REDIS_URL,
    logger,
    name: consumerName,
    maxLen: config.STREAM_MAXLEN,
    trimIntervalMs: config.STREAM_TRIM_INTERVAL_MS,
    deadLettersMaxLen: config.DEAD_LETTERS_MAXLEN,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
  });

  const readiness: ReadinessChecks = {
    redis: () => bus.ping(),
    consumers: async () => {
      const notReading = bus.consumersNotReading();
      if (notReading.length > 0) throw new Error(`cannot read: ${notReading.join('; ')}`);
    },
  };
  if (mongo) readiness.mongodb = () => mongo.db.command({ ping: 1 });
  const trustProxy = parseTrustProxy(config.TRUST_PROXY);
  const app = createHttpApp({ logger, readiness, trustProxy, maxBodyBytes: config.HTTP_MAX_BODY_BYTES });

  const consumerDefaults = { maxRetries: config.STREAM_MAX_RETRIES, claimIdleMs: config.STREAM_CLAIM_IDLE_MS, consumer: consumerName };
  const parts = await options.setup(
    { config, logger, bus, app, consumerName, consumerDefaults, trustProxy },
    mongo as C extends WithMongo ? MongoHandle : undefined,
  );
  finishApp(app, logger);

  const http = await listen(app, config.HTTP_PORT, undefined, serverLimitsOf(config));
  parts.onListening?.(http.server);
  const consumers = (parts.consumers ?? []).map((c) => bus.consumer({ ...consumerDefaults, ...c }));
  for (const consumer of consumers) await consumer.start();
  await parts.start?.();
  // Always written, whatever LOG_LEVEL: launchers read the port from this line.
  logger.child({}, { level: 'info' }).info({ port: http.port }, `${service} listening`);

  let stopping: Promise<void> | undefined;
  return {
    port: http.port,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    stop: () =>
      (stopping ??= (async () => {
        const closing = http.close();
        await Promise.all(consumers.map((c) => c.stop()));
        await parts.stop?.();
        await closing;
        await bus.close();
        await mongo?.close();
        await tracing.shutdown();
      })()),
  };
}

