// Everything one server instance holds: storage, cursors, sessions, and its identity on the wire.
import { ObjectId, Timestamp } from 'bson';
import { CursorStore } from './engine/cursors';
import { Engine } from './engine/engine';
import { Sessions } from './engine/sessions';
import { newOpCounters } from './commands/opcounters';

export const SET_NAME = 'rs0';
/** Wire version of MongoDB 7.0; the driver (v7) needs at least 4.4 (wire version 9). */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

export class ServerState {
  readonly engine = new Engine();
  readonly cursors = new CursorStore();
  readonly sessions: Sessions;
  readonly processId = new ObjectId();
  readonly opcounters = newOpCounters();
  readonly startedAt = Date.now();
  openConnections = 0;
  totalConnections = 0;
  lastWriteDate = new Date();
  private tsSeconds = 0;
  private tsIncrement = 0;

  constructor(
    readonly host: string,
    public port: number,
    transactionLifetimeMs?: number,
  ) {
    this.sessions = new Sessions(transactionLifetimeMs);
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** A monotonically increasing cluster time. */
  clusterTime(): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.tsSeconds) {
      this.tsSeconds = now;
      this.tsIncrement = 0;
    }
    this.tsIncrement++;
    return new Timestamp({ t: this.tsSeconds, i: this.tsIncrement });
  }
}
