import { BaseEnv, ConfigError, loadConfig } from '../src';

describe('config', () => {
  test('defaults fill what is not set', () => {
    const config = loadConfig(BaseEnv, { REDIS_URL: 'redis://localhost:6379' });
    expect(config).toMatchObject({ HTTP_PORT: 0, STREAM_MAX_RETRIES: 5, STREAM_CLAIM_IDLE_MS: 30_000, LOG_LEVEL: 'info' });
  });

  test('a bad or missing variable is named in the error', () => {
    expect(() => loadConfig(BaseEnv, { STREAM_MAX_RETRIES: 'lots' })).toThrow(ConfigError);
    try {
      loadConfig(BaseEnv, { STREAM_MAX_RETRIES: 'lots' });
    } catch (error) {
      expect((error as ConfigError).message).toMatch(/REDIS_URL: is required/);
      expect((error as ConfigError).message).toMatch(/STREAM_MAX_RETRIES/);
    }
  });
});
