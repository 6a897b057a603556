import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './redis-server';

const run = promisify(execFile);

/**
 * A private redis-server speaking only TLS on loopback, with a self-signed certificate for 127.0.0.1 made by openssl
 * in a temporary directory (removed on stop). `certFile` is what REDIS_TLS_CA takes.
 */
export class TlsRedis {
  port = 0;
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'courseloom-tls-'));
  readonly certFile = join(this.dir, 'cert.pem');
  private readonly keyFile = join(this.dir, 'key.pem');

  static async start(extraArgs: string[] = ['--maxmemory-policy', 'noeviction']): Promise<TlsRedis> {
    const redis = new TlsRedis();
    try {
      await redis.launch(extraArgs);
    } catch (err) {
      await redis.stop();
      throw err;
    }
    return redis;
  }

  get url(): string {
    return `rediss://127.0.0.1:${this.port}`;
  }

  private async launch(extraArgs: string[]): Promise<void> {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      this.keyFile,
      '-out',
      this.certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    this.port = await freePort();
    this.child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(this.port),
        '--tls-cert-file',
        this.certFile,
        '--tls-key-file',
        this.keyFile,
        '--tls-ca-cert-file',
        this.certFile,
        '--tls-auth-clients',
        'no',
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...extraArgs,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null)
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
