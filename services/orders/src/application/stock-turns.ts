import { Mutex } from 'async-mutex';

/**
 * Buyers of the same items in one process take turns instead of racing into write conflicts: a conflict
 * costs an abort, a pause and a rerun, and a crowd of them starves the buyer who holds the stock. Replicas
 * still meet in MongoDB (a write conflict, retried with backoff). Locks are taken in item order (no
 * deadlock), and dropped once nobody holds or waits for them (unknown ids never pile up).
 */
export class StockTurns {
  private readonly locks = new Map<string, Mutex>();

  async run<T>(itemIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const ids = [...new Set(itemIds)].sort();
    const held: [string, Mutex][] = [];
    try {
      for (const id of ids) {
        const lock = this.locks.get(id) ?? new Mutex();
        this.locks.set(id, lock);
        await lock.acquire();
        held.push([id, lock]);
      }
      return await work();
    } finally {
      for (const [id, lock] of held) {
        lock.release();
        if (!lock.isLocked()) this.locks.delete(id);
      }
    }
  }
}
