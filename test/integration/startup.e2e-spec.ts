import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import request from 'supertest';
import { API_ENTRY, ProductProcess, WORKER_ENTRY } from '../support/processes';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testDatabaseUrl, testRedisUrl, withDatabase } from '../support/test-env';
import { uniqueRedisPrefix } from '../support/test-app';
import { waitFor } from '../support/wait-for';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

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

  it('an unreachable DATABASE_URL stops start-up with a message naming it', async () => {
    const port = await freePort();
    const p = start(API_ENTRY, {
      DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/courseloom`,
      PORT: '0',
    });
    expect((await p.waitForExit()).code).toBe(1);
    expect(p.output).toContain(
      `Cannot connect to PostgreSQL at DATABASE_URL=postgres://postgres:***@127.0.0.1:${port}/courseloom`,
    );
    expect(p.output).toContain('nothing answers at that address');
    expect(p.output).not.toContain('secret');
  });

  it('a missing database is named too', async () => {
    const p = start(API_ENTRY, {
      DATABASE_URL: withDatabase(testDatabaseUrl(), 'courseloom_no_such_db'),
      PORT: '0',
    });
    expect((await p.waitForExit()).code).toBe(1);
    expect(p.output).toContain('the database does not exist');
  });

  it('refuses a Redis whose maxmemory-policy is not noeviction', async () => {
    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'allkeys-lru'],
      {
        stdio: 'ignore',
      },
    );
    try {
      await waitFor(
        () =>
          new Promise<boolean>((resolve) => {
            const s = connect(port, '127.0.0.1', () => {
              s.end();
              resolve(true);
            });
            s.on('error', () => resolve(false));
          }),
        { what: 'redis-server to listen' },
      );
      const p = start(API_ENTRY, { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(
        'Redis maxmemory-policy is \\"allkeys-lru\\", but Courseloom needs \\"noeviction\\"',
      );
    } finally {
      redis.kill('SIGKILL');
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

  it('a worker process starts without HTTP and exits 0 on SIGTERM', async () => {
    const p = start(WORKER_ENTRY, {});
    await p.waitForOutput(/Courseloom worker started/);
    p.kill('SIGTERM');
    expect((await p.waitForExit()).code).toBe(0);
  });
});
