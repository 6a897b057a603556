import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { loadConfig } from '../config/app-config';
import {
  createRedisConnection,
  redisClusterOptions,
  redisConnectionOptions,
  redisTlsOptions,
} from './redis-connection';
import { redisKey, redisKeyPrefix } from './redis-keys';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('redisConnectionOptions', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'courseloom-redis-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, PEM);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses REDIS_URL with credentials, db and TLS', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://user:p%40ss@cache.internal:6380/2' });
    expect(redisConnectionOptions(config, 'client')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: { servername: 'cache.internal' },
    });
  });

  it('workers never give up a command (BullMQ requires maxRetriesPerRequest: null); clients fail fast', () => {
    const config = loadConfig({});
    expect(redisConnectionOptions(config, 'worker').maxRetriesPerRequest).toBeNull();
    expect(redisConnectionOptions(config, 'client')).toMatchObject({
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    expect(redisConnectionOptions(config, 'subscriber')).toMatchObject({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
  });

  describe('TLS', () => {
    it('is off for redis:// and on for rediss://, trusting the system CAs by default', () => {
      expect(redisConnectionOptions(loadConfig({}), 'client').tls).toBeUndefined();
      const tls = redisTlsOptions(
        loadConfig({ REDIS_URL: 'rediss://cache.internal:6380' }),
        'cache.internal',
      );
      expect(tls).toEqual({ servername: 'cache.internal' });
    });

    it('trusts the CA of REDIS_TLS_CA', () => {
      const config = loadConfig({ REDIS_URL: 'rediss://cache.internal', REDIS_TLS_CA: caFile });
      expect(String(redisConnectionOptions(config, 'client').tls?.ca)).toBe(PEM);
    });

    it('skips verification with REDIS_TLS_INSECURE (outside production)', () => {
      const config = loadConfig({ REDIS_URL: 'rediss://cache.internal', REDIS_TLS_INSECURE: 'true' });
      expect(redisConnectionOptions(config, 'client').tls).toMatchObject({ rejectUnauthorized: false });
    });

    it('sends no server name for an IP address (SNI carries host names only)', () => {
      const config = loadConfig({ REDIS_URL: 'rediss://127.0.0.1:6380' });
      expect(redisConnectionOptions(config, 'client').tls).toEqual({});
    });
  });

  describe('with REDIS_CLUSTER_NODES', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://app:secret@ignored.example:6379',
      REDIS_CLUSTER_NODES: 'redis-1:7000, redis-2:7001,[::1]:7002',
    });

    it('gives every node REDIS_URL’s credentials and TLS, and keeps host names for the certificate check', () => {
      const options = redisClusterOptions(config, 'worker');
      expect(options.redisOptions).toMatchObject({
        username: 'app',
        password: 'secret',
        tls: {},
        maxRetriesPerRequest: null,
      });
      expect(options.redisOptions).not.toHaveProperty('host');
      expect(options.redisOptions).not.toHaveProperty('db');
      expect(options.enableOfflineQueue).toBe(true);
      expect(options.dnsLookup).toBeDefined();
      expect(redisClusterOptions(config, 'client').enableOfflineQueue).toBe(false);
    });

    it('makes an ioredis Cluster of the listed nodes; without the setting one Redis', () => {
      const cluster = createRedisConnection(config, 'client', { lazyConnect: true });
      const single = createRedisConnection(loadConfig({}), 'client', { lazyConnect: true });
      try {
        expect(cluster).toBeInstanceOf(Cluster);
        expect((cluster as unknown as { startupNodes: unknown }).startupNodes).toEqual([
          { host: 'redis-1', port: 7000 },
          { host: 'redis-2', port: 7001 },
          { host: '::1', port: 7002 },
        ]);
        expect(single).toBeInstanceOf(Redis);
      } finally {
        cluster.disconnect();
        single.disconnect();
      }
    });
  });

  it('asks the sentinels for the master with REDIS_SENTINELS', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://:secret@ignored.example/1',
      REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379',
      REDIS_SENTINEL_NAME: 'courseloom',
    });
    expect(redisConnectionOptions(config, 'queue')).toMatchObject({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26379 },
      ],
      name: 'courseloom',
      password: 'secret',
      db: 1,
    });
  });
});

describe('the key prefix', () => {
  it('is REDIS_PREFIX in braces, so a cluster keeps every key of the installation in one hash slot', () => {
    expect(redisKeyPrefix({ REDIS_PREFIX: 'courseloom' })).toBe('{courseloom}');
    expect(redisKey({ REDIS_PREFIX: 'staging' }, 'auth', 'revoked', 'abc')).toBe(
      '{staging}:auth:revoked:abc',
    );
  });
});
