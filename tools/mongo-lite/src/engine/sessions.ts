// Logical sessions: the transaction each one has open, and the last retryable write's reply so a
// retried write (same lsid and txnNumber) is answered from memory instead of being applied twice.
import { Binary } from 'bson';
import type { Doc } from '../bson';
import type { Engine } from './engine';
import type { Txn } from './txn';

export const DEFAULT_TRANSACTION_LIFETIME_MS = 60_000;
const SESSION_TIMEOUT_MS = 30 * 60_000;

export interface Session {
  readonly key: string;
  lastUsed: number;
  /** Highest txnNumber seen (transactions and retryable writes share the counter). */
  txnNumber: number;
  txn: Txn | undefined;
  retry: { txnNumber: number; reply: Promise<Doc> } | undefined;
}

export function sessionKey(lsid: unknown): string | undefined {
  if (!lsid || typeof lsid !== 'object') return undefined;
  const id = (lsid as Doc).id;
  if (id instanceof Binary) return id.toString('hex');
  return undefined;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  /** mongod's transactionLifetimeLimitSeconds, in milliseconds. */
  constructor(private readonly transactionLifetimeMs = DEFAULT_TRANSACTION_LIFETIME_MS) {}

  get(key: string): Session {
    let s = this.sessions.get(key);
    if (!s) {
      s = { key, lastUsed: Date.now(), txnNumber: -1, txn: undefined, retry: undefined };
      this.sessions.set(key, s);
    }
    s.lastUsed = Date.now();
    return s;
  }

  end(keys: string[], engine: Engine): void {
    for (const key of keys) {
      const s = this.sessions.get(key);
      if (s?.txn) engine.abort(s.txn);
      this.sessions.delete(key);
    }
  }

  /** Aborts transactions past their lifetime (transactionLifetimeLimitSeconds) and forgets idle sessions. */
  sweep(now: number, engine: Engine): void {
    for (const txn of [...engine.active]) {
      if (now - txn.startedAt > this.transactionLifetimeMs) engine.abort(txn);
    }
    for (const [key, s] of this.sessions) {
      if (now - s.lastUsed > SESSION_TIMEOUT_MS && (!s.txn || s.txn.state !== 'active'))
        this.sessions.delete(key);
    }
  }

  get size(): number {
    return this.sessions.size;
  }
}
