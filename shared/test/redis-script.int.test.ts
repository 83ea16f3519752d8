import { z } from 'zod';
import { defineScript } from '../src';
import { useRedis } from './helpers';

const redis = useRedis();

/** KEYS[1] a counter; ARGV[1] how much to add. Returns {new value, the key}. */
const INCREMENT = `return {redis.call('INCRBY', KEYS[1], ARGV[1]), KEYS[1]}`;

describe('defineScript', () => {
  test('the reply comes back parsed by its schema, keys and arguments in their places', async () => {
    const increment = defineScript(redis.client, {
      name: 'increment',
      lua: INCREMENT,
      reply: z.tuple([z.number(), z.string()]),
    });
    expect(await increment(['counter'], [2])).toEqual([2, 'counter']);
    expect(await increment(['counter'], [3])).toEqual([5, 'counter']);
  });

  test('when Redis has forgotten the script (a restart, SCRIPT FLUSH), it is sent again', async () => {
    const increment = defineScript(redis.client, {
      name: 'increment',
      lua: INCREMENT,
      reply: z.tuple([z.number(), z.string()]),
    });
    await increment(['counter'], [1]);
    await redis.client.script('FLUSH');
    expect(await increment(['counter'], [1])).toEqual([2, 'counter']);
  });

  test('a reply that does not match its schema is an error naming the script and the reply', async () => {
    const wrong = defineScript(redis.client, { name: 'increment', lua: INCREMENT, reply: z.number() });
    await expect(wrong(['counter'], [1])).rejects.toThrow(/script increment replied \[1,"counter"\]/);
  });

  test('an error raised by the script itself is passed on as it is', async () => {
    const failing = defineScript(redis.client, {
      name: 'failing',
      lua: `return redis.error_reply('oven is cold')`,
      reply: z.unknown(),
    });
    await expect(failing([], [])).rejects.toThrow('oven is cold');
  });
});

describe('defineScript(…).many', () => {
  const increment = () =>
    defineScript(redis.client, { name: 'increment', lua: INCREMENT, reply: z.tuple([z.number(), z.string()]) });

  test('runs every call in order, in one round trip, each reply parsed', async () => {
    const calls = [
      { keys: ['a'], args: [1] },
      { keys: ['b'], args: [5] },
      { keys: ['a'], args: [2] },
    ];
    expect(await increment().many(calls)).toEqual([
      [1, 'a'],
      [5, 'b'],
      [3, 'a'],
    ]);
  });

  test('when Redis has forgotten the script, each call still runs exactly once', async () => {
    await redis.client.script('FLUSH');
    const replies = await increment().many([
      { keys: ['c'], args: [1] },
      { keys: ['c'], args: [1] },
    ]);
    expect(replies).toEqual([
      [1, 'c'],
      [2, 'c'],
    ]);
    expect(await redis.client.get('c')).toBe('2');
  });

  test('a failing call fails the whole, after the others ran', async () => {
    const failing = defineScript(redis.client, {
      name: 'maybe',
      lua: `if ARGV[1] == 'x' then return redis.error_reply('oven is cold') end return redis.call('INCR', KEYS[1])`,
      reply: z.number(),
    });
    await expect(failing.many([{ keys: ['d'], args: ['x'] }, { keys: ['d'], args: ['ok'] }])).rejects.toThrow('oven is cold');
    expect(await redis.client.get('d')).toBe('1');
  });
});
