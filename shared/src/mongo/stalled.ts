import type { ClientSession, Collection, Filter, UpdateFilter } from 'mongodb';

/** What a reconciler needs of a stored aggregate: its status, its last change, when it was last re-driven. */
export interface Reconcilable {
  _id: string;
  status: string;
  updated_at: Date;
  redriven_at?: Date;
}

/**
 * A reconciler's queries on one collection: stalled aggregates by an index of status and last change, and
 * the claim of one re-drive (so that of several replicas one re-drives it).
 */
export function stalledAggregates<T extends Reconcilable>(collection: Collection<T>) {
  return {
    async ensureIndex(): Promise<void> {
      await collection.createIndex({ status: 1, updated_at: 1 });
    },

    /** Up to `limit` ids in `statuses` unchanged since `before` and not re-driven since, oldest change first. */
    async find(query: { statuses: readonly string[]; before: Date; limit: number }): Promise<string[]> {
      const filter = {
        status: { $in: [...query.statuses] },
        updated_at: { $lte: query.before },
        $or: [{ redriven_at: { $exists: false } }, { redriven_at: { $lte: query.before } }],
      } as Filter<T>;
      const options = { projection: { _id: 1 }, sort: { updated_at: 1 as const }, limit: query.limit };
      const docs = await collection.find(filter, options).toArray();
      return docs.map((d) => String(d._id));
    },

    /** Marks it re-driven at `now` if still as loaded: false when a change, or another replica, came first. */
    async markRedriven(
      session: ClientSession,
      loaded: { id: string; updatedAt: Date; redrivenAt?: Date },
      now: Date,
    ): Promise<boolean> {
      const filter = {
        _id: loaded.id,
        updated_at: loaded.updatedAt,
        redriven_at: loaded.redrivenAt ?? { $exists: false },
      } as Filter<T>;
      const update = { $set: { redriven_at: now } } as UpdateFilter<T>;
      return (await collection.updateOne(filter, update, { session })).modifiedCount === 1;
    },
  };
}
