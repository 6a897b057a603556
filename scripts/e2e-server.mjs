// The server Playwright drives: the built API with one in-process worker and the sample provider, on E2E_PORT,
// against a fresh database (<test database>_e2e_<port>, dropped again on exit) and its own Redis prefix, so every
// run starts empty and two runs on different ports never share state.
//
// Browser journeys that need other settings start more of these (test/e2e/support/e2e-server.ts), with:
//   E2E_REDIS_PREFIX=…        this Redis key prefix instead of a new one (a restart on the same queues)
//   E2E_REUSE_DATABASE=true   start on the database as it is instead of a fresh one (a restart on the same data)
//   E2E_KEEP_DATABASE=true    leave the database on exit (the caller restarts on it, or drops it)
//   E2E_SKIP_BUILD=true       do not check that the server and the UI are built (the caller made sure)
//   E2E_LLM_PROVIDER=…        another provider than the offline `sample` (with LLM_BASE_URL, LLM_MODEL, LLM_PRICES:
//                             a priced model, e.g. for a job that pauses at its cost cap — the sample one is free)
// Every other variable (SAMPLE_LATENCY_MS, SAMPLE_FAILURE_RATE, STEP_ATTEMPTS, …) passes through to the API.
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { ensureBuilt } from './ensure-built.mjs';

const flag = (name) => process.env[name] === 'true';

const port = process.env.E2E_PORT ?? '3100';
const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/courseloom_test');
const e2eDb = new URL(base);
e2eDb.pathname = `${base.pathname}_e2e_${port}`;

async function dropDatabase() {
  const admin = new URL(e2eDb);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${e2eDb.pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

if (!flag('E2E_SKIP_BUILD')) {
  ensureBuilt('server');
  ensureBuilt('ui');
}
if (!flag('E2E_REUSE_DATABASE')) await dropDatabase();

const env = {
  ...process.env,
  NODE_ENV: 'test',
  PORT: port,
  DATABASE_URL: e2eDb.toString(),
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: process.env.E2E_REDIS_PREFIX ?? `e2e-${port}-${Date.now()}`,
  START_WORKER: 'true',
  LLM_PROVIDER: process.env.E2E_LLM_PROVIDER ?? 'sample',
  SAMPLE_LATENCY_MS: process.env.SAMPLE_LATENCY_MS ?? '150',
  ADMIN_EMAIL: 'admin@courseloom.local',
  ADMIN_PASSWORD: 'courseloom-admin',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const created = spawnSync(process.execPath, ['dist/server/server/src/cli/db-create.js'], {
  stdio: 'inherit',
  env,
});
if (created.status !== 0) process.exit(created.status ?? 1);

const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/server/src/main.js'], {
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  (flag('E2E_KEEP_DATABASE') ? Promise.resolve() : dropDatabase())
    .catch(() => undefined)
    .finally(() => process.exit(code ?? 0));
});
