import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { parseRedisNodes } from './redis-nodes';

/** The problems loadConfig reports for `env` (none: []). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('the Redis settings', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'courseloom-redis-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('REDIS_CLUSTER_NODES and REDIS_SENTINELS', () => {
    it('take host:port lists, IPv6 in brackets', () => {
      expect(parseRedisNodes('REDIS_CLUSTER_NODES', 'a:1, b.example:6379,[::1]:7000')).toEqual([
        { host: 'a', port: 1 },
        { host: 'b.example', port: 6379 },
        { host: '::1', port: 7000 },
      ]);
    });

    it.each(['redis-1', 'redis-1:0', 'redis-1:70000', ':6379', '::1:7000', 'a b:6379', ','])(
      'name a bad entry in %j',
      (value) => {
        const [problem] = problems({ REDIS_CLUSTER_NODES: value });
        expect(problem).toMatch(/^REDIS_CLUSTER_NODES (has a bad entry|must list)/);
        expect(problem).toContain('e.g. REDIS_CLUSTER_NODES=redis-1:6379,redis-2:6379');
      },
    );

    it('refuse a database other than 0 on a cluster, and both at once', () => {
      expect(problems({ REDIS_URL: 'redis://h/3', REDIS_CLUSTER_NODES: 'a:7000' })).toEqual([
        'REDIS_URL selects database 3, but a Redis Cluster has only database 0: drop it from REDIS_URL',
      ]);
      expect(
        problems({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 'b:26379', REDIS_SENTINEL_NAME: 'm' }),
      ).toEqual([
        'REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set: a Redis is a cluster or has sentinels',
      ]);
    });

    it('need the master’s name with sentinels', () => {
      expect(problems({ REDIS_SENTINELS: 'b:26379' })).toEqual([
        'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor',
      ]);
    });
  });

  describe('REDIS_TLS_CA', () => {
    it('must be a readable PEM file, checked at start-up', () => {
      const missing = join(dir, 'missing.pem');
      expect(problems({ REDIS_URL: 'rediss://h', REDIS_TLS_CA: missing })).toEqual([
        `REDIS_TLS_CA: cannot read ${missing} (ENOENT)`,
      ]);
      const notPem = join(dir, 'key.txt');
      writeFileSync(notPem, 'not a certificate');
      expect(problems({ REDIS_URL: 'rediss://h', REDIS_TLS_CA: notPem })).toEqual([
        `REDIS_TLS_CA: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      ]);
    });

    it('needs a rediss:// REDIS_URL (no silent plain-text connection)', () => {
      expect(problems({ REDIS_TLS_CA: join(dir, 'x.pem') })).toEqual([
        'REDIS_TLS_CA is set but REDIS_URL is not rediss:// (TLS)',
      ]);
      expect(problems({ REDIS_TLS_INSECURE: 'true' })).toEqual([
        'REDIS_TLS_INSECURE is set but REDIS_URL is not rediss:// (TLS)',
      ]);
    });
  });

  describe('REDIS_TLS_INSECURE', () => {
    const production = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), REDIS_URL: 'rediss://h' };

    it('is refused under production rules, pointing to REDIS_TLS_CA', () => {
      const [problem] = problems({ ...production, REDIS_TLS_INSECURE: 'true' });
      expect(problem).toMatch(/^REDIS_TLS_INSECURE=true is refused when NODE_ENV=production/);
      expect(problem).toContain('as REDIS_TLS_CA instead');
      expect(problems(production)).toEqual([]);
    });

    it('is accepted in development (a self-signed certificate on a laptop)', () => {
      expect(problems({ REDIS_URL: 'rediss://127.0.0.1:6380', REDIS_TLS_INSECURE: 'true' })).toEqual([]);
    });
  });
});
