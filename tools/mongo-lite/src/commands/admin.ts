// Handshake and server-level commands: the server presents itself as the primary of a one-member
// replica set so the driver uses sessions, retryable writes and transactions.
import { Binary, Long, ObjectId } from 'bson';
import type { Doc } from '../bson';
import { sessionKey } from '../engine/sessions';
import { MAX_WIRE_VERSION, SERVER_VERSION, SET_NAME, type ServerState } from '../state';
import type { CommandContext, Handler } from './context';

const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

export function helloReply(state: ServerState, cmd: Doc, connectionId: number, legacy: boolean): Doc {
  const me = state.address;
  const now = new Date();
  const opTime = { ts: state.clusterTime(), t: Long.fromNumber(1) };
  const reply: Doc = {
    topologyVersion: { processId: state.processId, counter: Long.fromNumber(0) },
    hosts: [me],
    setName: SET_NAME,
    setVersion: 1,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    secondary: false,
    primary: me,
    me,
    electionId: ELECTION_ID,
    lastWrite: {
      opTime,
      lastWriteDate: state.lastWriteDate,
      majorityOpTime: opTime,
      majorityWriteDate: state.lastWriteDate,
    },
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (cmd.helloOk === true) reply.helloOk = true;
  reply.ok = 1;
  return reply;
}

export const hello: Handler = (ctx) => helloReply(ctx.state, ctx.cmd, ctx.connectionId, false);
export const isMaster: Handler = (ctx) => helloReply(ctx.state, ctx.cmd, ctx.connectionId, true);

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'mongo-lite',
  versionArray: SERVER_VERSION.split('.').map(Number).concat([0]),
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['mongo-lite'],
  modules: [],
  ok: 1,
});

const PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  transactionLifetimeLimitSeconds: 60,
  maxTransactionLockRequestTimeoutMillis: 5,
  authenticationMechanisms: [],
};

export const getParameter: Handler = (ctx) => {
  const reply: Doc = {};
  const all =
    ctx.cmd.getParameter === '*' || (ctx.cmd.getParameter as Doc | undefined)?.allParameters === true;
  for (const [k, v] of Object.entries(PARAMETERS)) if (all || k in ctx.cmd) reply[k] = v;
  reply.ok = 1;
  return reply;
};

export const endSessions: Handler = (ctx) => {
  const list = Array.isArray(ctx.cmd.endSessions) ? ctx.cmd.endSessions : [];
  const keys = list.map((lsid) => sessionKey({ id: (lsid as Doc).id })).filter((k): k is string => !!k);
  ctx.state.sessions.end(keys, ctx.state.engine);
  return { ok: 1 };
};

export const replSetGetStatus: Handler = (ctx) => {
  const now = new Date();
  const uptime = Math.floor((Date.now() - ctx.state.startedAt) / 1000);
  return {
    set: SET_NAME,
    date: now,
    myState: 1,
    term: Long.fromNumber(1),
    members: [
      {
        _id: 0,
        name: ctx.state.address,
        health: 1,
        state: 1,
        stateStr: 'PRIMARY',
        uptime,
        self: true,
        electionId: ELECTION_ID,
      },
    ],
    ok: 1,
  };
};

export const serverStatus: Handler = (ctx: CommandContext) => {
  const s = ctx.state;
  return {
    host: s.address,
    version: SERVER_VERSION,
    process: 'mongo-lite',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - s.startedAt) / 1000,
    uptimeMillis: Long.fromNumber(Date.now() - s.startedAt),
    localTime: new Date(),
    connections: { current: s.openConnections, available: 10_000, totalCreated: s.totalConnections },
    transactions: { currentOpen: s.engine.active.size },
    metrics: { cursor: { open: { total: s.cursors.size } } },
    opcounters: { ...s.opcounters },
    ok: 1,
  };
};

export const connectionStatus: Handler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

export const whatsmyuri: Handler = () => ({ you: '127.0.0.1', ok: 1 });

/** A zero signature: no keys, since the server has no authentication. */
// Unsigned (no keys): the same zero signature on every reply, built once. BSON values are only read.
const NO_SIGNATURE = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

export function clusterTimeDoc(state: ServerState): Doc {
  return { clusterTime: state.clusterTime(), signature: NO_SIGNATURE };
}
