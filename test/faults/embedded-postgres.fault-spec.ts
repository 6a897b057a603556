import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ProductProcess, ROOT } from '../support/processes';
import { freePort } from '../support/redis-server';
import { uniqueRedisPrefix } from '../support/test-app';
import { testRedisUrl } from '../support/test-env';

const START = 'scripts/start.mjs';

/**
 * `npm start` in development without DATABASE_URL starts an embedded PostgreSQL (scripts/embedded-postgres.mjs;
 * README, "Prerequisites"). This machine has a PostgreSQL on 127.0.0.1:5432, so the suite asks for the embedded
 * one with EMBEDDED_POSTGRES=on — which also takes the "5432 is busy, pick a free port" path — in a temporary
 * folder. The first start runs initdb (a few seconds); the API and worker are the real built processes.
 */
describe('npm start with an embedded PostgreSQL (development)', () => {
  let dir: string;
  let env: Record<string, string>;
  const running: ProductProcess[] = [];
  const start = (role: 'api' | 'worker', extra: Record<string, string> = {}): ProductProcess => {
    const p = new ProductProcess(START, { ...env, ...extra }, [role]);
    running.push(p);
    return p;
  };

  beforeAll(() => {
    // npm start serves the admin UI: build it now, so the timed starts below do not include an Angular build.
    const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs', 'ui'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('building the admin UI failed');
    dir = mkdtempSync(join(tmpdir(), 'courseloom-embedded-pg-'));
    // As root, PostgreSQL runs as the `postgres` user, which must reach the folder.
    chmodSync(dir, 0o755);
    const envFile = join(dir, 'empty.env');
    writeFileSync(envFile, '');
    env = {
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      EMBEDDED_POSTGRES: 'on',
      EMBEDDED_POSTGRES_DIR: join(dir, 'postgres'),
      ENV_FILE: envFile, // never a developer's .env (it could set DATABASE_URL)
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      START_WORKER: 'false',
    };
  }, 300_000);

  afterAll(() => {
    for (const p of running) p.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const postmasterPid = (): string => join(dir, 'postgres', 'data', 'postmaster.pid');

  it('creates its data folder on the first start, serves the API on it, and stops it when npm start stops', async () => {
    const port = await freePort();
    const api = start('api', { PORT: String(port) });
    await api.waitForOutput(/Courseloom API on/, 120_000);
    expect(api.output).toMatch(
      /Started an embedded PostgreSQL [\d.]+ for development on 127\.0\.0\.1:\d+ in [\d.]+ s \(first start/,
    );
    expect(api.output).toContain('Created database courseloom');
    const health = await request(`http://127.0.0.1:${port}`).get('/health').expect(200);
    expect(health.body.checks.postgres.status).toBe('up');
    expect(existsSync(postmasterPid())).toBe(true);

    api.kill('SIGTERM');
    expect((await api.waitForExit(60_000)).code).toBe(0);
    // PostgreSQL removes its pid file when it has shut down cleanly.
    expect(existsSync(postmasterPid())).toBe(false);
  }, 180_000);

  it('keeps the data on later starts, and a worker started beside it finds it', async () => {
    const port = await freePort();
    const api = start('api', { PORT: String(port) });
    await api.waitForOutput(/Courseloom API on/, 60_000);
    expect(api.output).toMatch(
      /Started an embedded PostgreSQL [\d.]+ for development on 127\.0\.0\.1:\d+ in [\d.]+ s:/,
    );
    expect(api.output).not.toContain('First start: created the owner'); // the owner from the first start is still there

    // `npm run worker` in another terminal: the embedded PostgreSQL is on a port other than 5432 here.
    const worker = start('worker');
    await worker.waitForOutput(/Courseloom worker started/, 60_000);
    expect(worker.output).toMatch(
      /Using the embedded PostgreSQL started by npm start \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/courseloom\)/,
    );
    worker.kill('SIGTERM');
    expect((await worker.waitForExit()).code).toBe(0);

    api.kill('SIGTERM');
    expect((await api.waitForExit(60_000)).code).toBe(0);
    expect(existsSync(postmasterPid())).toBe(false);
  }, 120_000);
});

describe('npm start without the embedded PostgreSQL', () => {
  const run = async (env: Record<string, string>): Promise<ProductProcess> => {
    const p = new ProductProcess(START, { ENV_FILE: '/dev/null', REDIS_URL: 'redis://127.0.0.1:1', ...env }, [
      'api',
    ]);
    await p.waitForExit(120_000);
    return p;
  };

  it('is never started in production', async () => {
    const p = await run({ NODE_ENV: 'production', EMBEDDED_POSTGRES: 'on' });
    expect(p.exit?.code).not.toBe(0);
    expect(p.output).not.toContain('embedded PostgreSQL');
  }, 150_000);

  it('is not started when DATABASE_URL is set', async () => {
    const port = await freePort();
    const p = await run({
      NODE_ENV: 'development',
      EMBEDDED_POSTGRES: 'on',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/courseloom`,
    });
    expect(p.exit?.code).toBe(1);
    expect(p.output).not.toContain('embedded PostgreSQL');
    expect(p.output).toContain(`Courseloom needs PostgreSQL, and nothing answers at 127.0.0.1:${port}`);
  }, 150_000);

  it('refuses an EMBEDDED_POSTGRES it does not know', async () => {
    const p = await run({ NODE_ENV: 'development', EMBEDDED_POSTGRES: 'sometimes' });
    expect(p.exit?.code).toBe(1);
    expect(p.output).toContain('EMBEDDED_POSTGRES must be auto, on or off (got "sometimes")');
  }, 150_000);
});
