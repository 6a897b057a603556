import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, PrivateRedis, waitForPort } from './redis-server';
import { waitFor } from './wait-for';

/**
 * A private master redis-server watched by one Redis Sentinel (redis-server --sentinel) on loopback, its config in a
 * temporary directory removed on stop. For the product: `env` (REDIS_SENTINELS and REDIS_SENTINEL_NAME; REDIS_URL
 * names a closed port, so a start that works went through the sentinel).
 */
export class PrivateRedisSentinel {
  static readonly NAME = 'courseloom-master';
  sentinelPort = 0;
  private master?: PrivateRedis;
  private sentinel?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'courseloom-sentinel-'));

  static async start(): Promise<PrivateRedisSentinel> {
    const s = new PrivateRedisSentinel();
    try {
      await s.launch();
    } catch (err) {
      await s.stop();
      throw err;
    }
    return s;
  }

  get env(): Record<string, string> {
    return {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: `127.0.0.1:${this.sentinelPort}`,
      REDIS_SENTINEL_NAME: PrivateRedisSentinel.NAME,
    };
  }

  private async launch(): Promise<void> {
    this.master = await PrivateRedis.start(['--maxmemory-policy', 'noeviction']);
    this.sentinelPort = await freePort();
    const conf = join(this.dir, 'sentinel.conf');
    // Sentinel rewrites its config file, so it lives in the temporary directory.
    writeFileSync(
      conf,
      [
        `port ${this.sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${PrivateRedisSentinel.NAME} 127.0.0.1 ${this.master.port} 1`,
        '',
      ].join('\n'),
    );
    this.sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    await waitForPort(this.sentinelPort);
    const probe = new Redis({ port: this.sentinelPort, host: '127.0.0.1', lazyConnect: true });
    try {
      await probe.connect();
      await waitFor(
        async () =>
          (
            (await probe.call('SENTINEL', 'get-master-addr-by-name', PrivateRedisSentinel.NAME)) as
              string[] | null
          )?.[1] === String(this.master!.port),
        { what: 'the sentinel to know the master' },
      );
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    const sentinel = this.sentinel;
    if (sentinel && sentinel.exitCode === null && sentinel.signalCode === null)
      await new Promise<void>((resolve) => {
        sentinel.once('exit', () => resolve());
        sentinel.kill('SIGKILL');
      });
    await this.master?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
