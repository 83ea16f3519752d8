import { startMongoLite, type MongoInstance } from './infra/mongo';
import type { ChildHandle } from './infra/process';
import { startRedisServer, type RedisInstance } from './infra/redis';
import { Supervisor, type RestartPolicy } from './supervisor';

type Owned<T> = T & { handle: ChildHandle };

function owned<T extends { handle?: ChildHandle }>(instance: T): instance is Owned<T> {
  return instance.handle !== undefined;
}

export interface InfraProcess {
  name: 'redis' | 'mongo-lite';
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Redis and mongo-lite, when the stack started them with their data in a folder (`durable`), come back on the same port
 * with the same data after a crash. Without a data folder they kept nothing worth restarting for: a crash
 * is only reported. Anything the stack did not start (REDIS_URL, MONGO_URL, a memory-server) is left alone.
 */
export function superviseInfra(
  redis: RedisInstance,
  mongo: MongoInstance,
  durable: boolean,
  options: { log: (message: string) => void; policy?: RestartPolicy; isStopping: () => boolean },
): { processes: InfraProcess[]; supervisors: { stop(): void }[] } {
  const processes: InfraProcess[] = [];
  const supervisors: { stop(): void }[] = [];
  const keep = (name: InfraProcess['name'], first: Owned<RedisInstance | MongoInstance>, restart: () => Promise<Owned<RedisInstance | MongoInstance>>) => {
    if (!durable) {
      void first.handle.exited.then(() => {
        if (!options.isStopping()) options.log(`${name}: exited unexpectedly; it kept its data in memory only, so it is not restarted: the stack is degraded`);
      });
      processes.push({ name, pid: () => first.handle.child.pid, stop: () => first.stop() });
      return;
    }
    const supervisor = new Supervisor(first, { label: name, start: restart, log: options.log, policy: options.policy });
    supervisors.push(supervisor);
    processes.push({ name, pid: () => supervisor.current.handle.child.pid, stop: () => supervisor.current.stop() });
  };
  if (owned(redis)) {
    const { port, dir } = redis;
    keep('redis', redis, () => startRedisServer({ port, dir, appendonly: true }));
  }
  if (mongo.kind === 'mongo-lite' && owned(mongo)) {
    const port = Number(new URL(mongo.url).port);
    keep('mongo-lite', mongo, () => startMongoLite({ port, dbpath: mongo.dbpath }));
  }
  return { processes, supervisors };
}
