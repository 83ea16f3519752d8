import type { Doc } from '../bson';
import type { Txn } from '../engine/txn';
import type { ServerState } from '../state';

export interface CommandContext {
  readonly state: ServerState;
  readonly db: string;
  readonly cmd: Doc;
  /** The client's open transaction, when the command runs inside one. */
  readonly txn: Txn | undefined;
  readonly connectionId: number;
}

export type Handler = (ctx: CommandContext) => Doc | Promise<Doc>;

/** The command's first field's value as a collection name. */
export function collectionName(ctx: CommandContext): string {
  const name = Object.values(ctx.cmd)[0];
  return typeof name === 'string' ? name : '';
}

export function optNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function optDoc(v: unknown): Doc | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined;
}
