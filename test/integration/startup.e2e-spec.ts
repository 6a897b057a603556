import { createServer } from 'node:net';
import request from 'supertest';
import { DOCKER_SERVICES_COMMAND } from '../../server/src/preflight/service-failure';
import { API_ENTRY, ProductProcess, WORKER_ENTRY } from '../support/processes';
import { freePort, PrivateRedis } from '../support/redis-server';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testDatabaseUrl, testRedisUrl, withDatabase } from '../support/test-env';
import { uniqueRedisPrefix } from '../support/test-app';

describe('start-up of the real processes', () => {
  let databaseUrl: string;
  const running: ProductProcess[] = [];
  const start = (entry: string, env: Record<string, string>): ProductProcess => {
    const p = new ProductProcess(entry, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      ...env,
    });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    databaseUrl = await createSuiteDatabase();
  });
  afterAll(async () => {
    for (const p of running) p.kill();
    await dropSuiteDatabase(databaseUrl);
  });

  it('a malformed DATABASE_URL stops start-up with a message naming it', async () => {
    const p = start(API_ENTRY, { DATABASE_URL: 'mysql://nope' });
    expect((await p.waitForExit()).code).toBe(1);
    expect(p.output).toMatch(/DATABASE_URL must look like postgres:\/\//);
  });

  it('a missing database is named, with how to create it', async () => {
    const p = start(API_ENTRY, {
      DATABASE_URL: withDatabase(testDatabaseUrl(), 'courseloom_no_such_db'),
      PORT: '0',
    });
    expect((await p.waitForExit()).code).toBe(1);
    expect(p.output).toContain('database \\"courseloom_no_such_db\\" does not exist');
    expect(p.output).toContain('npm run db:create');
  });

  // What a new user sees on a machine without PostgreSQL or Redis: one paragraph per missing service naming the
  // variable, the address and how to get the service — no stack trace, no raw error objects (README, "Prerequisites").
  describe('when a service is missing', () => {
    const DB_CREATE_ENTRY = 'dist/server/server/src/cli/db-create.js';
    const expectReadable = (p: ProductProcess): void => {
      expect(p.output).not.toMatch(/\n\s+at /);
      expect(p.output).not.toMatch(/errno|syscall/);
      expect(p.output).toContain(DOCKER_SERVICES_COMMAND);
    };

    // The API and a worker side by side: both use the same check, and starting them together halves the wait.
    const startBoth = async (env: Record<string, string>): Promise<ProductProcess[]> => {
      const both = [start(API_ENTRY, { ...env, PORT: '0' }), start(WORKER_ENTRY, env)];
      for (const p of both) expect((await p.waitForExit()).code).toBe(1);
      return both;
    };

    it('the API and a worker stop at once when nothing answers at DATABASE_URL, naming it with its password hidden', async () => {
      const port = await freePort();
      for (const p of await startBoth({
        DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/courseloom`,
      })) {
        expect(p.output).toContain(`Courseloom needs PostgreSQL, and nothing answers at 127.0.0.1:${port}`);
        expect(p.output).toContain(`DATABASE_URL=postgres://postgres:***@127.0.0.1:${port}/courseloom`);
        expect(p.output).toContain('sudo apt-get install postgresql');
        expect(p.output).not.toContain('secret');
        expectReadable(p);
      }
    });

    it('the API and a worker stop at once when nothing answers at REDIS_URL, before any queue prints a connection error', async () => {
      const port = await freePort();
      for (const p of await startBoth({ REDIS_URL: `redis://:secret@127.0.0.1:${port}` })) {
        expect(p.output).toContain(`Courseloom needs Redis, and nothing answers at 127.0.0.1:${port}`);
        expect(p.output).toContain(`REDIS_URL=redis://:***@127.0.0.1:${port}`);
        expect(p.output).toContain('sudo apt-get install redis-server');
        expect(p.output).not.toContain('ECONNREFUSED');
        expect(p.output).not.toContain('secret');
        expect(p.output).not.toContain('Starting Nest application');
        expectReadable(p);
      }
    });

    it('names both services when neither answers', async () => {
      const [pgPort, redisPort] = [await freePort(), await freePort()];
      const p = start(API_ENTRY, {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/courseloom`,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: '0',
      });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(`nothing answers at 127.0.0.1:${pgPort}`);
      expect(p.output).toContain(`nothing answers at 127.0.0.1:${redisPort}`);
      expectReadable(p);
    });

    it('says a host name that does not resolve', async () => {
      const p = start(API_ENTRY, { REDIS_URL: 'redis://courseloom-no-such-host.invalid:6379', PORT: '0' });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(
        'Courseloom needs Redis, and the host name \\"courseloom-no-such-host.invalid\\"',
      );
      expectReadable(p);
    });

    it('says a server that accepts the connection but never answers', async () => {
      const silent = createServer(() => undefined).listen(0, '127.0.0.1');
      await new Promise((resolve) => silent.once('listening', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const p = start(WORKER_ENTRY, { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
        expect((await p.waitForExit()).code).toBe(1);
        expect(p.output).toContain(`127.0.0.1:${port} did not answer in time`);
        expectReadable(p);
      } finally {
        silent.close();
      }
    });

    it('db-create says the same paragraph when nothing answers at DATABASE_URL', async () => {
      const port = await freePort();
      const p = start(DB_CREATE_ENTRY, {
        DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/courseloom`,
      });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(`Courseloom needs PostgreSQL, and nothing answers at 127.0.0.1:${port}`);
      expect(p.output).not.toContain('secret');
      expectReadable(p);
    });

    describe('when the service answers but refuses the login', () => {
      let redis: PrivateRedis;
      beforeAll(async () => {
        redis = await PrivateRedis.start(['--requirepass', 'right-password']);
      });
      afterAll(async () => {
        await redis.stop();
      });

      it('a wrong Redis password is named, without installation help', async () => {
        const p = start(API_ENTRY, { REDIS_URL: `redis://:wrong@127.0.0.1:${redis.port}`, PORT: '0' });
        expect((await p.waitForExit()).code).toBe(1);
        expect(p.output).toContain(`Redis at 127.0.0.1:${redis.port} refused Courseloom's login`);
        expect(p.output).not.toContain('apt-get');
        expect(p.output).not.toMatch(/\n\s+at /);
      });

      it('a Redis password REDIS_URL lacks is asked for', async () => {
        const p = start(WORKER_ENTRY, { REDIS_URL: redis.url });
        expect((await p.waitForExit()).code).toBe(1);
        expect(p.output).toContain('requires a password, and REDIS_URL has none');
      });

      it('a PostgreSQL role that does not exist is named', async () => {
        const url = new URL(testDatabaseUrl());
        url.username = 'courseloom_no_such_role';
        const p = start(API_ENTRY, { DATABASE_URL: withDatabase(url.toString(), 'courseloom'), PORT: '0' });
        expect((await p.waitForExit()).code).toBe(1);
        expect(p.output).toContain("refused Courseloom's login");
        expect(p.output).toContain('courseloom_no_such_role');
        expect(p.output).not.toMatch(/\n\s+at /);
      });
    });
  });

  it('refuses a Redis whose maxmemory-policy is not noeviction', async () => {
    const redis = await PrivateRedis.start(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const p = start(API_ENTRY, { REDIS_URL: redis.url, PORT: '0' });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(
        'Redis maxmemory-policy is \\"allkeys-lru\\", but Courseloom needs \\"noeviction\\"',
      );
    } finally {
      await redis.stop();
    }
  });

  it('the API serves /health, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const p = start(API_ENTRY, { PORT: String(port), START_WORKER: 'false' });
    await p.waitForOutput(/Courseloom API on/);
    await request(`http://127.0.0.1:${port}`).get('/health').expect(200);
    p.kill('SIGTERM');
    expect((await p.waitForExit()).code).toBe(0);
  });

  it('when Redis goes away after start-up, the API and its worker say so in readable warnings, not raw errors', async () => {
    const redis = await PrivateRedis.start();
    try {
      const port = await freePort();
      const p = start(API_ENTRY, { PORT: String(port), REDIS_URL: redis.url, START_WORKER: 'true' });
      await p.waitForOutput(/Courseloom API on/);
      const before = p.output.length;
      await redis.stop();
      // Every connection has failed to reconnect at least once by the time the queues' and workers' warnings show.
      await p.waitForOutput(/Queue webhook-deliveries: .*ECONNREFUSED/);
      await p.waitForOutput(/Worker jobs: .*ECONNREFUSED/);
      await p.waitForOutput(/Redis connection error: .*ECONNREFUSED/);
      const after = p.output.slice(before);
      expect(after).not.toMatch(/\n\s+at /);
      expect(after).not.toMatch(/errno:/);
      p.kill('SIGKILL');
      await p.waitForExit();
    } finally {
      await redis.stop();
    }
  });

  it('a worker process starts without HTTP and exits 0 on SIGTERM', async () => {
    const p = start(WORKER_ENTRY, {});
    await p.waitForOutput(/Courseloom worker started/);
    p.kill('SIGTERM');
    expect((await p.waitForExit()).code).toBe(0);
  });
});
