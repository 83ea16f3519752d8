// Runs one write statement: inside the client's transaction, or in its own short transaction that
// commits at the end of the statement. A non-transactional write that meets a document locked by an
// open transaction waits for that transaction to end, then runs again (mongod retries such write
// conflicts internally, so the client just sees the write take longer).
import { MongoError } from '../errors';
import { LockWait, type Txn } from '../engine/txn';
import type { CommandContext } from './context';
import { optNumber } from './context';

async function waitFor(owner: Txn, deadline: number | undefined): Promise<void> {
  if (deadline === undefined) return owner.done;
  const left = deadline - Date.now();
  if (left <= 0) throw new MongoError('MaxTimeMSExpired', 'operation exceeded time limit');
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MongoError('MaxTimeMSExpired', 'operation exceeded time limit')),
      left,
    );
  });
  try {
    await Promise.race([owner.done, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runStatement<T>(ctx: CommandContext, fn: (unit: Txn) => T): Promise<T> {
  if (ctx.txn) return fn(ctx.txn);
  const engine = ctx.state.engine;
  const maxTimeMS = optNumber(ctx.cmd.maxTimeMS);
  const deadline = maxTimeMS ? Date.now() + maxTimeMS : undefined;
  for (;;) {
    const unit = engine.begin(true);
    try {
      const result = fn(unit);
      engine.commit(unit);
      return result;
    } catch (err) {
      if (err instanceof LockWait) {
        engine.abort(unit);
        await waitFor(err.owner, deadline);
        continue;
      }
      // What the statement wrote before failing stays written, as in mongod.
      if (unit.state === 'active') engine.commit(unit);
      throw err;
    }
  }
}

/**
 * Turns a statement's error into a writeErrors entry. Inside a transaction a write conflict is a
 * top-level error (so the driver sees TransientTransactionError) and any error aborts the transaction.
 */
export function toWriteError(
  ctx: CommandContext,
  err: unknown,
  index: number,
): ReturnType<MongoError['toWriteError']> {
  if (!(err instanceof MongoError)) throw err;
  if (ctx.txn) {
    if (err.code === 112) throw err;
    ctx.state.engine.abort(ctx.txn);
  }
  return err.toWriteError(index);
}
