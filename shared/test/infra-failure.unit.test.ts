import { ReplyError } from 'ioredis';
import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { z } from 'zod';
import {
  AppError,
  ConflictError,
  DependencyUnavailableError,
  isInfraFailure,
  isUnanswered,
  PoisonMessageError,
  ValidationError,
} from '../src';

// What the driver attaches when no server answered: the description of a set without a primary.
const noPrimary = { error: null, type: 'ReplicaSetNoPrimary' } as unknown as ConstructorParameters<typeof MongoServerSelectionError>[1];
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:27017`), { code });
const serverError = (code: number, labels: string[] = []) =>
  new MongoServerError({ ok: 0, code, errmsg: `server error ${code}`, errorLabels: labels });

describe('isInfraFailure', () => {
  test.each([
    ['connection refused', systemError('ECONNREFUSED')],
    ['connection reset', systemError('ECONNRESET')],
    ['a socket timeout', systemError('ETIMEDOUT')],
    ['a name that does not resolve yet', systemError('EAI_AGAIN')],
    ['a MongoDB network error', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a bulk write that lost its connection', new MongoBulkWriteError(new MongoNetworkError('read ECONNRESET'), {} as never)],
    ['a MongoDB network timeout', new MongoNetworkTimeoutError('connection timed out')],
    ['no selectable MongoDB server', new MongoServerSelectionError('Server selection timed out after 3000 ms', noPrimary)],
    ['a closed MongoDB topology', new MongoTopologyClosedError()],
    ['a MongoDB operation timeout', new MongoOperationTimeoutError('Timed out during withTransaction')],
    ['not primary', serverError(10107)],
    ['primary stepped down', serverError(189)],
    ['shutdown in progress', serverError(91)],
    ['maxTimeMS expired', serverError(50)],
    ['a transient transaction error', serverError(112, ['TransientTransactionError'])],
    ['an unknown commit result', serverError(64, ['UnknownTransactionCommitResult'])],
    ['Redis loading its data set', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['Redis busy in a script', new ReplyError('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.')],
    ['Redis command timeout (ioredis)', new Error('Command timed out')],
    ['a closed Redis connection (ioredis)', new Error('Connection is closed.')],
    ['our own DependencyUnavailableError', new DependencyUnavailableError('MongoDB transaction not committed within 5000 ms')],
    ['a failure wrapped as a cause', new Error('could not place order', { cause: systemError('ECONNREFUSED') })],
    ['an AggregateError of connection attempts', new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')], 'connect failed')],
  ])('%s is an infrastructure failure', (_name, error) => {
    expect(isInfraFailure(error)).toBe(true);
  });

  test.each([
    ['a validation error', new ValidationError('Invalid order', [{ path: 'items', message: 'required' }])],
    ['a domain refusal', new ConflictError('out_of_stock', 'Out of stock')],
    ['a poison message', new PoisonMessageError('delivery for an unknown order')],
    ['a plain handler bug', new TypeError("Cannot read properties of undefined (reading 'status')")],
    ['a generic AppError', new AppError('nope', { code: 'whatever', retryable: true })],
    ['a zod error', (() => { try { z.object({ a: z.string() }).parse({}); } catch (e) { return e; } })()],
    ['a duplicate key', serverError(11000)],
    ['a bulk write refused by the server', new MongoBulkWriteError({ message: 'E11000 duplicate key error', code: 11000, writeErrors: [] }, {} as never)],
    ['a MongoDB server error without labels', serverError(2)],
    ['Redis BUSYGROUP (not BUSY)', new ReplyError('BUSYGROUP Consumer Group name already exists')],
    ['Redis NOGROUP (the consumer recreates its group instead)', new ReplyError("NOGROUP No such key 'x' or consumer group 'g'")],
    ['Redis WRONGTYPE', new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('%s is not an infrastructure failure', (_name, error) => {
    expect(isInfraFailure(error)).toBe(false);
  });

  test('a cycle of causes ends instead of recursing forever', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isInfraFailure(a)).toBe(false);
  });
});

describe('isUnanswered', () => {
  test.each([
    ['a silent connection', new MongoNetworkTimeoutError('connection 6 to 127.0.0.1:27017 timed out')],
    ['a lost connection', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a bulk write whose connection timed out', new MongoBulkWriteError(new MongoNetworkError('connection 6 to 127.0.0.1:27017 timed out'), {} as never)],
    ['no selectable server', new MongoServerSelectionError('Server selection timed out after 3000 ms', noPrimary)],
    ['a transaction given up on a silent server', new DependencyUnavailableError('not committed', new MongoNetworkTimeoutError('timed out'))],
  ])('%s: the server did not answer', (_name, error) => {
    expect(isUnanswered(error)).toBe(true);
  });

  test.each([
    ['a write conflict (the server answered)', serverError(112, ['TransientTransactionError'])],
    ['maxTimeMS expired (the server answered)', serverError(50)],
    ['a duplicate key', serverError(11000)],
    ['a Redis timeout', new Error('Command timed out')],
  ])('%s: the server answered', (_name, error) => {
    expect(isUnanswered(error)).toBe(false);
  });
});
