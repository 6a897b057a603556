import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

export const ROOT = join(__dirname, '..', '..');
export const API_ENTRY = 'dist/server/server/src/main.js';
export const WORKER_ENTRY = 'dist/server/server/src/worker.js';

/** A real product process (built by global-setup), with its output captured for assertions. */
export class ProductProcess {
  readonly child: ChildProcess;
  output = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exited: Promise<void>;

  constructor(entry: string, env: Record<string, string>, args: string[] = []) {
    this.child = spawn(process.execPath, [entry, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    await waitFor(() => pattern.test(this.output) || this.exit !== undefined, {
      timeoutMs,
      what: String(pattern),
    });
    if (!pattern.test(this.output)) {
      throw new Error(
        `process exited (${JSON.stringify(this.exit)}) before printing ${pattern}:\n${this.output}`,
      );
    }
  }

  async waitForExit(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.exited,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no exit within ${timeoutMs} ms:\n${this.output}`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return this.exit!;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exit === undefined) this.child.kill(signal);
  }
}
