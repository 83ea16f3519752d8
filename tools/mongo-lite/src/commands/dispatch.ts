// Routes a command to its handler and applies session semantics around it: transactions
// (autocommit: false), retryable writes (txnNumber without autocommit), error shaping and cluster time.
import { toNumber, type Doc } from '../bson';
import { MongoError, TRANSIENT, asMongoError, type CodeName } from '../errors';
import type { Session } from '../engine/sessions';
import { sessionKey } from '../engine/sessions';
import type { ServerState } from '../state';
import * as admin from './admin';
import type { CommandContext, Handler } from './context';
import * as ddl from './ddl';
import { findAndModify } from './find-and-modify';
import { countOp } from './opcounters';
import * as read from './read';
import * as write from './write';

const HANDLERS = new Map<string, Handler>([
  ['hello', admin.hello],
  ['isMaster', admin.isMaster],
  ['ismaster', admin.isMaster],
  ['ping', admin.ping],
  ['buildInfo', admin.buildInfo],
  ['buildinfo', admin.buildInfo],
  ['getParameter', admin.getParameter],
  ['endSessions', admin.endSessions],
  ['replSetGetStatus', admin.replSetGetStatus],
  ['serverStatus', admin.serverStatus],
  ['connectionStatus', admin.connectionStatus],
  ['whatsmyuri', admin.whatsmyuri],
  ['listDatabases', ddl.listDatabases],
  ['listCollections', ddl.listCollections],
  ['create', ddl.create],
  ['drop', ddl.drop],
  ['dropDatabase', ddl.dropDatabase],
  ['createIndexes', ddl.createIndexes],
  ['listIndexes', ddl.listIndexes],
  ['dropIndexes', ddl.dropIndexes],
  ['insert', write.insert],
  ['update', write.update],
  ['delete', write.remove],
  ['findAndModify', findAndModify],
  ['findandmodify', findAndModify],
  ['find', read.find],
  ['getMore', read.getMore],
  ['killCursors', read.killCursors],
  ['aggregate', read.aggregate],
  ['count', read.count],
  ['distinct', read.distinct],
]);

const RETRYABLE = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

function errorReply(name: CodeName, message: string, transient = false): Doc {
  return new MongoError(name, message, { labels: transient ? [TRANSIENT] : [] }).toReply();
}

async function execute(handler: Handler, ctx: CommandContext): Promise<Doc> {
  try {
    return await handler(ctx);
  } catch (err) {
    const e = asMongoError(err);
    if (e.codeName === 'InternalError') console.error('mongo-lite: internal error', err);
    return e.toReply();
  }
}

export async function runCommand(
  state: ServerState,
  cmd: Doc,
  db: string,
  connectionId: number,
): Promise<Doc> {
  const name = Object.keys(cmd)[0] ?? '';
  countOp(state.opcounters, name, cmd);
  const base = { state, db, cmd, connectionId };
  let reply: Doc;
  const key = sessionKey(cmd.lsid);
  const session = key ? state.sessions.get(key) : undefined;
  const txnNumber = cmd.txnNumber === undefined ? undefined : toNumber(cmd.txnNumber);
  if (session && txnNumber !== undefined && cmd.autocommit === false) {
    reply = await inTransaction(state, session, txnNumber, name, { ...base, txn: undefined });
  } else if (name === 'commitTransaction' || name === 'abortTransaction') {
    reply = errorReply(
      'NoSuchTransaction',
      'no transaction in this command (autocommit: false and txnNumber are required)',
    );
  } else {
    const handler = HANDLERS.get(name);
    if (!handler) {
      reply = errorReply('CommandNotFound', `no such command: '${name}'`);
    } else if (session && txnNumber !== undefined && RETRYABLE.has(name)) {
      reply = await retryable(state, session, txnNumber, handler, { ...base, txn: undefined });
    } else {
      reply = await execute(handler, { ...base, txn: undefined });
    }
  }
  const clusterTime = admin.clusterTimeDoc(state);
  reply.$clusterTime = clusterTime;
  reply.operationTime = clusterTime.clusterTime;
  return reply;
}

async function retryable(
  state: ServerState,
  session: Session,
  txnNumber: number,
  handler: Handler,
  ctx: CommandContext,
): Promise<Doc> {
  if (session.retry?.txnNumber === txnNumber) return { ...(await session.retry.reply) };
  if (txnNumber < session.txnNumber) {
    return errorReply(
      'TransactionTooOld',
      `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer txnNumber ${session.txnNumber} has already started on this session.`,
    );
  }
  if (session.txn) state.engine.abort(session.txn);
  session.txnNumber = txnNumber;
  const pending = execute(handler, ctx);
  const entry = { txnNumber, reply: pending };
  session.retry = entry;
  const reply = await pending;
  if (reply.ok !== 1 && session.retry === entry) session.retry = undefined;
  return { ...reply };
}

async function inTransaction(
  state: ServerState,
  session: Session,
  txnNumber: number,
  name: string,
  base: CommandContext,
): Promise<Doc> {
  const engine = state.engine;
  if (name === 'commitTransaction' || name === 'abortTransaction') {
    const txn = session.txn;
    if (txnNumber !== session.txnNumber || !txn) {
      return errorReply(
        'NoSuchTransaction',
        `Given transaction number ${txnNumber} does not match any in-progress transactions.`,
        true,
      );
    }
    if (name === 'commitTransaction') {
      if (txn.state === 'aborted')
        return errorReply(
          'NoSuchTransaction',
          `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
          true,
        );
      if (txn.state === 'active') {
        try {
          engine.commit(txn);
        } catch (err) {
          return asMongoError(err).toReply();
        }
      }
      return { ok: 1 };
    }
    if (txn.state === 'committed')
      return errorReply(
        'TransactionCommitted',
        `Transaction with { txnNumber: ${txnNumber} } has been committed.`,
      );
    if (txn.state === 'aborted')
      return errorReply(
        'NoSuchTransaction',
        `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
        true,
      );
    engine.abort(txn);
    return { ok: 1 };
  }

  const handler = HANDLERS.get(name);
  if (!handler) return errorReply('CommandNotFound', `no such command: '${name}'`);
  if (base.cmd.startTransaction === true) {
    if (txnNumber < session.txnNumber) {
      return errorReply(
        'TransactionTooOld',
        `txnNumber ${txnNumber} is less than last txnNumber ${session.txnNumber} seen in this session`,
      );
    }
    if (txnNumber === session.txnNumber && session.txn) {
      return errorReply(
        'ConflictingOperationInProgress',
        `Transaction ${txnNumber} has already been started on this session.`,
      );
    }
    if (session.txn) engine.abort(session.txn);
    session.txnNumber = txnNumber;
    session.retry = undefined;
    session.txn = engine.begin(false);
  } else if (txnNumber !== session.txnNumber || !session.txn) {
    return errorReply(
      'NoSuchTransaction',
      `Given transaction number ${txnNumber} does not match any in-progress transactions.`,
      true,
    );
  }
  const txn = session.txn;
  if (txn.state === 'aborted')
    return errorReply(
      'NoSuchTransaction',
      `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
      true,
    );
  if (txn.state === 'committed')
    return errorReply(
      'TransactionCommitted',
      `Transaction with { txnNumber: ${txnNumber} } has been committed.`,
    );
  const reply = await execute(handler, { ...base, txn });
  if (reply.ok !== 1) engine.abort(txn);
  return reply;
}
