// The server Playwright drives: the built API with one in-process worker and the sample provider, on E2E_PORT,
// against a fresh database (<test database>_e2e) and its own Redis prefix, so every run starts empty.
import { spawn, spawnSync } from 'node:child_process';
import { ensureBuilt } from './ensure-built.mjs';

const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/courseloom_test');
const e2eDb = new URL(base);
e2eDb.pathname = `${base.pathname}_e2e`;

ensureBuilt('server');
ensureBuilt('ui');
// Drop and recreate through psql-free SQL: the db-create CLI creates it after we drop it here.
const drop = spawnSync(
  process.execPath,
  [
    '-e',
    `const {Client}=require('pg');(async()=>{const u=new URL(process.argv[1]);const name=u.pathname.slice(1);u.pathname='/postgres';` +
      `const c=new Client({connectionString:u.toString()});await c.connect();` +
      `await c.query('DROP DATABASE IF EXISTS "'+name+'" WITH (FORCE)');await c.end();})().catch(e=>{console.error(e.message);process.exit(1)})`,
    e2eDb.toString(),
  ],
  { stdio: 'inherit' },
);
if (drop.status !== 0) process.exit(drop.status ?? 1);

const env = {
  ...process.env,
  NODE_ENV: 'test',
  PORT: process.env.E2E_PORT ?? '3100',
  DATABASE_URL: e2eDb.toString(),
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `e2e-${Date.now()}`,
  START_WORKER: 'true',
  LLM_PROVIDER: 'sample',
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
child.on('exit', (code) => process.exit(code ?? 0));
