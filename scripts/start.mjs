// `npm start` (api) and `npm run worker`: build what is not built, create the database if missing, run.
// In development without DATABASE_URL and with nothing on 127.0.0.1:5432, `npm start` first starts an embedded
// PostgreSQL and stops it when it exits (embedded-postgres.mjs; README, "Prerequisites").
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  embeddedPostgresDir,
  runningEmbeddedPostgresUrl,
  startEmbeddedPostgres,
  wantsEmbeddedPostgres,
} from './embedded-postgres.mjs';
import { ensureBuilt } from './ensure-built.mjs';

const role = process.argv[2] === 'worker' ? 'worker' : 'api';
ensureBuilt('server');
if (role === 'api') ensureBuilt('ui');

// What the server will see: the environment plus `.env` (the environment wins), read by the server's own loader.
const { loadEnvFile } = createRequire(import.meta.url)('../dist/server/server/src/config/env-file.js');
const seen = { ...process.env };
try {
  loadEnvFile(seen);
} catch (err) {
  // A bad ENV_FILE: the loader's message names it; no stack trace.
  console.error(err.message);
  process.exit(1);
}

const env = { ...process.env };
let embedded;
let child;
let stopping = false;

async function exit(code) {
  await embedded?.stop();
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    if (child) child.kill(signal);
    else void exit(1);
  });
}

let wanted;
try {
  wanted = await wantsEmbeddedPostgres(seen);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const dir = embeddedPostgresDir(seen);
if (wanted && role === 'api') {
  embedded = await startEmbeddedPostgres(dir);
  if (embedded) env.DATABASE_URL = embedded.url;
} else if (wanted) {
  // A worker beside `npm start`: use the embedded PostgreSQL it started, on whichever port that is.
  const url = await runningEmbeddedPostgresUrl(dir);
  if (url) {
    env.DATABASE_URL = url;
    console.log(`Using the embedded PostgreSQL started by npm start (${url}).`);
  }
}
if (stopping) await exit(1);

if (role === 'api') {
  const created = spawnSync(process.execPath, ['dist/server/server/src/cli/db-create.js'], {
    stdio: 'inherit',
    env,
  });
  if (created.status !== 0) await exit(created.status ?? 1);
  if (stopping) await exit(1);
}

const entry = role === 'api' ? 'dist/server/server/src/main.js' : 'dist/server/server/src/worker.js';
child = spawn(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit', env });
child.on('exit', (code, signal) => void exit(code ?? (signal ? 1 : 0)));
