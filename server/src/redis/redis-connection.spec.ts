import { loadConfig } from '../config/app-config';
import { redisConnectionOptions } from './redis-connection';

describe('redisConnectionOptions', () => {
  it('parses REDIS_URL with credentials, db and TLS', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://user:p%40ss@cache.internal:6380/2' });
    expect(redisConnectionOptions(config, 'client')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
  });

  it('workers never give up a command (BullMQ requires maxRetriesPerRequest: null); clients fail fast', () => {
    const config = loadConfig({});
    expect(redisConnectionOptions(config, 'worker').maxRetriesPerRequest).toBeNull();
    expect(redisConnectionOptions(config, 'client')).toMatchObject({
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
  });
});
