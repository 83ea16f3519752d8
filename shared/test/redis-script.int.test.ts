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
