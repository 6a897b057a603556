// `npm run dev`: the API with watch and the admin UI's dev server, in one terminal with prefixed output; Ctrl-C stops
// them all (README, "Development").
//   [build] `nest build --watch` compiles the server into dist/dev on every change: the compiler and OpenAPI plugin of
//           `npm run build`, in its own folder, so it never fights `npm start` or the tests over dist/server.
//   [api]   after the first build: creates the database if missing, then `node --watch` runs the API (with its
//           in-process worker), restarted on each new build. It reads .env as `npm start` does.
//   [ui]    `ng serve` on http://localhost:4200/admin/ (live reload), forwarding /api, /health and /admin/queues to
//           the API (admin-ui/proxy.conf.mjs).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { parseEnv } from 'node:util';

const require = createRequire(import.meta.url);
const OUT = 'dist/dev';
const API_ENTRY = `${OUT}/server/src/main.js`;
const STOP_GRACE_MS = 40_000; // the API's SHUTDOWN_GRACE_MS (30 s) and some
const colour = process.stdout.isTTY;
const COLOURS = { build: 35, api: 36, ui: 32 };

/** The API's port as the API will read it: the environment, else the .env file (config/env-file.ts), else 3000. */
function apiPort() {
  if (process.env.PORT) return process.env.PORT;
  const file = process.env.ENV_FILE || '.env';
  return (existsSync(file) && parseEnv(readFileSync(file, 'utf8')).PORT) || '3000';
}

const children = new Map();
let stopping = false;
let exitStatus = 0;

function say(name, line) {
  const label = `[${name}]`.padEnd(8);
  process.stdout.write(`${colour ? `\x1b[${COLOURS[name]}m${label}\x1b[0m` : label}${line}\n`);
}

function run(name, args, { env = {}, onLine } = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...(colour ? { FORCE_COLOR: '1' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() === '') return; // tsc's watch output spaces its messages with empty lines
      say(name, line);
      onLine?.(line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) {
      if (children.size === 0) process.exit(exitStatus);
      return;
    }
    say(name, `exited (${signal ?? `code ${code}`}): stopping the others`);
    stop(1);
  });
  return child;
}

/** Stops every child (SIGTERM: the API finishes running work), then exits with `status`. */
function stop(status) {
  if (stopping) return;
  stopping = true;
  exitStatus = status;
  if (children.size === 0) process.exit(status);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(1);
  }, STOP_GRACE_MS).unref();
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

const port = apiPort();
let apiStarted = false;
run(
  'build',
  [
    require.resolve('@nestjs/cli/bin/nest.js'),
    'build',
    '--watch',
    '--preserveWatchOutput',
    '--path',
    'tsconfig.dev.json',
  ],
  {
    onLine(line) {
      // tsc's watch summary; the API starts after the first build without errors (node --watch follows later ones).
      // eslint-disable-next-line no-control-regex
      if (apiStarted || !/Found 0 errors\./.test(line.replace(/\x1b\[[0-9;]*m/g, ''))) return;
      apiStarted = true;
      void startApi();
    },
  },
);
run('ui', [require.resolve('@angular/cli/bin/ng.js'), 'serve'], {
  env: { NG_CLI_ANALYTICS: 'false', COURSELOOM_API_PORT: port },
});

/** Runs a one-off step with its output under [api]; resolves to its exit code. */
function step(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => say('api', line));
    }
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function startApi() {
  // The OpenAPI document's schemas (scripts/build-contract-schemas.mjs) once: restart after changing contracts/.
  for (const args of [
    ['scripts/build-contract-schemas.mjs', `${OUT}/contracts/api.schemas.json`],
    [`${OUT}/server/src/cli/db-create.js`],
  ]) {
    if (stopping) return;
    if ((await step(args)) !== 0) {
      say('api', `${args[0]} failed: stopping`);
      stop(1);
      return;
    }
  }
  if (!stopping) run('api', ['--watch', '--enable-source-maps', API_ENTRY], { env: { PORT: port } });
}
