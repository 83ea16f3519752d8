import { BaseEnv, ConfigError, loadConfig } from '../src';

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
});
