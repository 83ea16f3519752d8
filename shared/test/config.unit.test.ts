import { BaseEnv, ConfigError, createLogger, loadConfig } from '../src';

describe('config', () => {
  test('defaults fill what is not set', () => {
    const config = loadConfig(BaseEnv, { REDIS_URL: 'redis://localhost:6379' });
    expect(config).toMatchObject({ HTTP_PORT: 0, STREAM_MAX_RETRIES: 5, STREAM_CLAIM_IDLE_MS: 30_000, LOG_LEVEL: 'info' });
  });

  test('a bad or missing variable is named in the error', () => {
    const load = () => loadConfig(BaseEnv, { STREAM_MAX_RETRIES: 'lots' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/REDIS_URL: is required/);
    expect(load).toThrow(/STREAM_MAX_RETRIES/);
  });

  test('a bad or empty LOG_LEVEL does not break the logger made before validation, and validation names it', () => {
    const saved = process.env.LOG_LEVEL;
    try {
      for (const bad of ['loud', '']) {
        process.env.LOG_LEVEL = bad;
        expect(createLogger({ service: 'test' }).level).toBe('info');
      }
      process.env.LOG_LEVEL = 'debug';
      expect(createLogger({ service: 'test' }).level).toBe('debug');
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
    expect(() => loadConfig(BaseEnv, { REDIS_URL: 'redis://localhost:6379', LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
