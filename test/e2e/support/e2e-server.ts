import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import pg from 'pg';

const ROOT = path.resolve(__dirname, '../../..');
const LOG_DIR = path.join(ROOT, 'test/output/servers');
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface E2EServerOptions {
  /** Names the log file, test/output/servers/<name>.log. */
  name: string;
  /** Settings of the API (SAMPLE_LATENCY_MS, SAMPLE_FAILURE_RATE, STEP_ATTEMPTS, …). */
  env?: Record<string, string>;
}

/**
 * A private server for one browser journey: `scripts/e2e-server.mjs` (the built API with one in-process worker and
 * the sample provider, like Playwright's own server) on a free port, with its own database and Redis prefix and the
 * journey's settings. `restart()` stops it and starts it again on the same port, database and Redis prefix with
 * other settings; `stop()` stops it and drops its database. Its output goes to test/output/servers/<name>.log.
 */
export class E2EServer {
  private port: number | null = null;
  private readonly redisPrefix: string;
  private readonly logFile: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: E2EServerOptions) {
    this.redisPrefix = `e2e-${options.name}-${Date.now()}`;
    this.logFile = path.join(LOG_DIR, `${options.name}.log`);
  }

  /** The base URL, once started. */
  get url(): string {
    if (this.port === null) throw new Error(`the ${this.options.name} server has not been started`);
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts on a fresh, empty database. */
  async start(): Promise<void> {
    this.port = await freePort();
    await this.launch(this.options.env ?? {}, false);
  }

  /** Stops the server and starts it again on the same port, database and Redis prefix, `env` over its settings. */
  async restart(env: Record<string, string>): Promise<void> {
    await this.halt();
    await this.launch({ ...this.options.env, ...env }, true);
  }

  /** Stops the server and drops its database. */
  async stop(): Promise<void> {
    await this.halt();
    if (this.port !== null) await dropDatabase(databaseUrl(this.port));
  }

  /** SIGTERM (the worker drains; e2e-server.mjs passes it on to the API), then SIGKILL if it does not exit in time. */
  private async halt(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private async launch(env: Record<string, string>, reuseDatabase: boolean): Promise<void> {
    if (await this.healthy()) {
      throw new Error(`${this.url} already answers: another server took port ${this.port}`);
    }
    mkdirSync(LOG_DIR, { recursive: true });
    const log = openSync(this.logFile, reuseDatabase ? 'a' : 'w');
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
      E2E_PORT: String(this.port),
      E2E_REDIS_PREFIX: this.redisPrefix,
      E2E_REUSE_DATABASE: String(reuseDatabase),
      // A restart needs the data; stop() drops the database.
      E2E_KEEP_DATABASE: 'true',
      // Playwright's own server (playwright.config.ts) built the server and the UI before the tests.
      E2E_SKIP_BUILD: 'true',
    };
    // Not Playwright's TypeScript loader, if it set one.
    delete childEnv.NODE_OPTIONS;
    // In the runner's process group, so Ctrl-C reaches it too.
    const child = spawn(process.execPath, ['scripts/e2e-server.mjs'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (!(await this.healthy())) {
      if (exitCode !== undefined) {
        throw new Error(`the ${this.options.name} server exited (${exitCode}):\n${this.logTail()}`);
      }
      if (Date.now() > deadline) {
        await this.halt();
        throw new Error(
          `the ${this.options.name} server did not answer ${this.url}/health:\n${this.logTail()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The database scripts/e2e-server.mjs uses on `port`: <test database>_e2e_<port>. */
function databaseUrl(port: number): URL {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/courseloom_test');
  const url = new URL(base);
  url.pathname = `${base.pathname}_e2e_${port}`;
  return url;
}

async function dropDatabase(url: URL): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
