import { Redis } from 'ioredis';
import request from 'supertest';
import { signIn } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { ProductProcess, WORKER_ENTRY } from '../support/processes';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { PrivateRedis } from '../support/redis-server';
import { PrivateRedisSentinel } from '../support/redis-sentinel';
import { TlsRedis } from '../support/redis-tls';
import { startTestApp, TestApp, uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';

/**
 * Redis as managed services offer it (docs/queue.md, "Redis"): TLS with a private CA, an ACL user, Sentinel. Each
 * runs the same journey — a course queued and completed by the in-process worker with the sample provider — and a
 * wrong setting stops a real worker process with a message naming what to fix.
 */
describe('managed Redis', () => {
  let databaseUrl: string;
  const running: ProductProcess[] = [];

  beforeAll(async () => {
    databaseUrl = await createSuiteDatabase();
  });
  afterAll(async () => {
    for (const p of running) p.kill();
    await dropSuiteDatabase(databaseUrl);
  });

  /** A course queued and completed. */
  async function journey(app: TestApp): Promise<void> {
    const { user, agent } = await signIn(app);
    const courseId = await createCourse(app, user, courseSpec({ projects: 2, lessons: 0 }));
    const jobId = await queueCourse(agent, courseId);
    const { job } = await waitForJob(agent, jobId, 'completed');
    expect(job.items_completed).toBe(6);
  }

  async function withApp(env: Record<string, string>, use: (app: TestApp) => Promise<void>): Promise<void> {
    const app = await startTestApp({ env: { START_WORKER: 'true', ...env } });
    try {
      await use(app);
    } finally {
      await app.close();
    }
  }

  /** A real worker process that must refuse to start: its exit and what it printed. */
  async function refusedStart(env: Record<string, string>): Promise<string> {
    const worker = new ProductProcess(WORKER_ENTRY, {
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: uniqueRedisPrefix(),
      ...env,
    });
    running.push(worker);
    expect((await worker.waitForExit()).code).toBe(1);
    expect(worker.output).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    return worker.output;
  }

  describe('over TLS (rediss://, a self-signed certificate the test makes)', () => {
    let tls: TlsRedis;
    beforeAll(async () => {
      tls = await TlsRedis.start();
    });
    afterAll(async () => {
      await tls?.stop();
    });

    it('runs a course when REDIS_TLS_CA names the certificate', async () => {
      await withApp({ REDIS_URL: tls.url, REDIS_TLS_CA: tls.certFile }, journey);
    });

    it('refuses to start without it, naming REDIS_TLS_CA', async () => {
      const output = await refusedStart({ REDIS_URL: tls.url });
      expect(output).toContain("Redis's TLS certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT");
      expect(output).toContain('as REDIS_TLS_CA');
    });

    it('accepts the certificate unverified with REDIS_TLS_INSECURE=true (development only)', async () => {
      await withApp({ REDIS_URL: tls.url, REDIS_TLS_INSECURE: 'true' }, async (app) => {
        await request(app.baseUrl).get('/health/ready').expect(200);
      });
    });
  });

  describe('with an ACL user allowed only the installation’s keys and channels', () => {
    const prefix = uniqueRedisPrefix();
    let redis: PrivateRedis;
    let admin: Redis;
    const url = (password: string): string => `redis://courseloom:${password}@127.0.0.1:${redis.port}`;

    beforeAll(async () => {
      redis = await PrivateRedis.start(['--maxmemory-policy', 'noeviction']);
      admin = new Redis(redis.url);
      // `{prefix}:*` covers every key and channel of the installation (server/src/redis/redis-keys.ts).
      await admin.call(
        'ACL',
        'SETUSER',
        'courseloom',
        'on',
        '>acl-secret-pw',
        'resetkeys',
        `~{${prefix}}:*`,
        'resetchannels',
        `&{${prefix}}:*`,
        '+@all',
      );
      await admin.call('ACL', 'SETUSER', 'default', 'off'); // nobody gets in without the user's password
    });
    afterAll(async () => {
      admin?.disconnect();
      await redis?.stop();
    });

    it('runs a course and signs in (the login limiter’s script) as that user', async () => {
      await withApp({ REDIS_URL: url('acl-secret-pw'), REDIS_PREFIX: prefix }, journey);
    });

    it('a wrong password stops the start with a readable message that never shows the password', async () => {
      const output = await refusedStart({ REDIS_URL: url('not-the-password'), REDIS_PREFIX: prefix });
      expect(output).toContain('the user name or password was refused');
      expect(output).toContain(`REDIS_URL=redis://courseloom:***@127.0.0.1:${redis.port}`);
      expect(output).not.toContain('not-the-password');
    });
  });

  describe('through Redis Sentinel', () => {
    let sentinel: PrivateRedisSentinel;
    beforeAll(async () => {
      sentinel = await PrivateRedisSentinel.start();
    });
    afterAll(async () => {
      await sentinel?.stop();
    });

    it('finds the master through the sentinel (REDIS_URL names a closed port) and runs a course', async () => {
      await withApp(sentinel.env, journey);
    });
  });
});
