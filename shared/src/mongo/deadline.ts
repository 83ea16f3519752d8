import type { Collection, Db, Document } from 'mongodb';

/**
 * Where each Collection method that sends a command takes its options (the driver's signatures). Index
 * management is left out: the driver drops `maxTimeMS` from `createIndexes` itself.
 */
const OPTIONS_AT: Readonly<Record<string, number>> = {
  find: 1,
  findOne: 1,
  aggregate: 1,
  countDocuments: 1,
  estimatedDocumentCount: 0,
  distinct: 2,
  insertOne: 1,
  insertMany: 1,
  bulkWrite: 1,
  updateOne: 2,
  updateMany: 2,
  replaceOne: 2,
  deleteOne: 1,
  deleteMany: 1,
  findOneAndUpdate: 2,
  findOneAndReplace: 2,
  findOneAndDelete: 1,
};

const bound = (target: object, prop: string | symbol): unknown => {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
};

function withDeadline<T extends Document>(collection: Collection<T>, maxTimeMS: number): Collection<T> {
  return new Proxy(collection, {
    get(target, prop) {
      const at = typeof prop === 'string' ? OPTIONS_AT[prop] : undefined;
      const method = bound(target, prop);
      if (at === undefined || typeof method !== 'function') return method;
      return (...args: unknown[]) => {
        // A call's own maxTimeMS wins.
        args[at] = { maxTimeMS, ...(args[at] as object | undefined) };
        return (method as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

/**
 * `db`, whose collections send every CRUD command with `maxTimeMS` (MONGO_OPERATION_TIMEOUT_MS), so a server
 * that is slow on one operation (a lock wait, a long scan) ends it with MaxTimeMSExpired instead of holding
 * the caller. One place instead of an option at every call: the driver (7.8 on) has no client-wide operation
 * timeout, its `timeoutMS` is a no-op. A silent server is cut off on the client side by the socket timeout.
 */
export function withOperationDeadline(db: Db, maxTimeMS: number): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'collection') return bound(target, prop);
      return (...args: Parameters<Db['collection']>) => withDeadline(target.collection(...args), maxTimeMS);
    },
  });
}
