import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  describeDatabase,
  installationMarkerKey,
  InstallationMarkerValue,
} from '../../server/src/installation/installation-marker';
import { redisKey } from '../../server/src/redis/redis-keys';
import { API_ENTRY, ProductProcess, WORKER_ENTRY } from '../support/processes';
import { uniqueRedisPrefix } from '../support/test-app';
import {
  createDatabase,
  createSuiteDatabase,
  dropSuiteDatabase,
  withAdminClient,
} from '../support/test-database';
import { databaseName, testDatabaseUrl, testRedisUrl, withDatabase } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** The URL with a password, so the tests can check it is never shown (PostgreSQL's trust auth ignores it). */
function withPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  if (!u.password) u.password = `pw-${randomBytes(6).toString('hex')}`;
  return { url: u.toString(), password: decodeURIComponent(u.password) };
}

const markerKey = (prefix: string): string => installationMarkerKey({ REDIS_PREFIX: prefix });
/** Every key of the installation on `prefix` (a KEYS pattern). */
const allKeys = (prefix: string): string => redisKey({ REDIS_PREFIX: prefix }, '*');

describe('two installations on one Redis: the installation marker (docs/queue.md, "Sharing one Redis")', () => {
  const prefix = uniqueRedisPrefix();
  const otherPrefix = uniqueRedisPrefix();
  let redis: Redis;
  let a: { url: string; password: string };
  let b: { url: string; password: string };
  const databases: string[] = [];
  const running: ProductProcess[] = [];

  const start = (entry: string, databaseUrl: string, redisPrefix: string): ProductProcess => {
    const p = new ProductProcess(entry, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: redisPrefix,
      START_WORKER: 'false',
      PORT: '0',
    });
    running.push(p);
    return p;
  };
  const started = async (p: ProductProcess): Promise<void> =>
    p.waitForOutput(/Courseloom API on|Courseloom worker started/, 30_000);
  const stopAll = async (): Promise<void> => {
    for (const p of running.splice(0)) {
      p.kill();
      await p.waitForExit();
    }
  };
  const marker = async (redisPrefix: string): Promise<InstallationMarkerValue | null> => {
    const text = await redis.get(markerKey(redisPrefix));
    return text === null ? null : (JSON.parse(text) as InstallationMarkerValue);
  };
  const refusal = (ownerUrl: string): string =>
    `REDIS_PREFIX=${prefix} is used by the installation on ${describeDatabase(ownerUrl)}`;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    for (let i = 0; i < 2; i++) databases.push(await createSuiteDatabase());
    a = withPassword(databases[0]);
    b = withPassword(databases[1]);
    await started(start(API_ENTRY, a.url, prefix));
  });
  afterAll(async () => {
    await stopAll();
    for (const p of [prefix, otherPrefix]) {
      const keys = await redis.keys(allKeys(p));
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
    for (const url of databases) await dropSuiteDatabase(url);
  });

  it('the first process claims the prefix for its installation, naming its database without credentials', async () => {
    const claimed = await marker(prefix);
    expect(claimed?.database).toBe(describeDatabase(a.url));
    expect(claimed?.database).toMatch(/^[^@/]+:\d+\/[^/]+$/);
    expect(claimed?.id).toEqual(expect.any(String));
    expect(JSON.stringify(claimed)).not.toContain(a.password);
  });

  describe('when a process on another database starts with the same REDIS_PREFIX', () => {
    it('the API and the worker exit 1, naming the database that owns the prefix and the fix', async () => {
      const before = await marker(prefix);
      const refused = [start(API_ENTRY, b.url, prefix), start(WORKER_ENTRY, b.url, prefix)];
      for (const p of refused) {
        expect((await p.waitForExit(30_000)).code).toBe(1);
        expect(p.output).toContain(refusal(a.url));
        expect(p.output).toContain(`this one is on ${describeDatabase(b.url)}`);
        expect(p.output).toContain('give this installation its own REDIS_PREFIX, or its own Redis');
        expect(p.output).not.toMatch(/Courseloom API on|Courseloom worker started|Workers started/);
        expect(p.output).not.toContain(a.password);
        expect(p.output).not.toContain(b.password);
      }
      expect(await marker(prefix)).toEqual(before);
    });

    it('with its own REDIS_PREFIX it starts', async () => {
      await started(start(WORKER_ENTRY, b.url, otherPrefix));
      expect((await marker(otherPrefix))?.database).toBe(describeDatabase(b.url));
    });
  });

  it('another process of the same installation (a worker beside the API) starts on the prefix', async () => {
    await started(start(WORKER_ENTRY, a.url, prefix));
  });

  describe('when Redis lost every key of the prefix (as after FLUSHALL)', () => {
    it('the next process of the installation starts and writes the marker again, and the other database is refused again', async () => {
      const before = await marker(prefix);
      const keys = await redis.keys(allKeys(prefix));
      await redis.del(...keys);
      expect(await marker(prefix)).toBeNull();

      await started(start(WORKER_ENTRY, a.url, prefix));
      expect(await marker(prefix)).toEqual(before);

      const refused = start(WORKER_ENTRY, b.url, prefix);
      expect((await refused.waitForExit(30_000)).code).toBe(1);
      expect(refused.output).toContain(refusal(a.url));
    });
  });

  describe('when a database is copied from a started one (CREATE DATABASE … TEMPLATE)', () => {
    it('the copy is another installation: refused on the original prefix', async () => {
      await stopAll();
      const copy = `${databaseName(testDatabaseUrl())}_s${process.pid}_copy${randomBytes(3).toString('hex')}`;
      // The original's connections close a moment after its processes die; CREATE DATABASE waits for that.
      await waitFor(
        () =>
          withAdminClient((client) => createDatabase(client, copy, databaseName(a.url))).then(
            () => true,
            (err: unknown) => {
              if (/being accessed by other users/.test(String(err))) return false;
              throw err;
            },
          ),
        { what: 'the copy to be created' },
      );
      const copyUrl = withDatabase(testDatabaseUrl(), copy);
      databases.push(copyUrl);

      const refused = start(WORKER_ENTRY, copyUrl, prefix);
      expect((await refused.waitForExit(30_000)).code).toBe(1);
      expect(refused.output).toContain(refusal(a.url));
    });
  });
});
