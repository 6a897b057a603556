import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from './redis-server';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/**
 * A private Redis Cluster on loopback: `masters` redis-server processes in cluster mode (no replicas), joined with
 * `redis-cli --cluster create`, in a temporary directory removed on stop. For the product: `env` (REDIS_URL gives
 * the scheme, REDIS_CLUSTER_NODES the nodes).
 */
export class PrivateRedisCluster {
  readonly ports: number[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'courseloom-cluster-'));

  static async start(options: { masters?: number; args?: string[] } = {}): Promise<PrivateRedisCluster> {
    const cluster = new PrivateRedisCluster();
    try {
      await cluster.launch(options.masters ?? 3, options.args ?? ['--maxmemory-policy', 'noeviction']);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** `127.0.0.1:p1,127.0.0.1:p2,…` */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  get env(): { REDIS_URL: string; REDIS_CLUSTER_NODES: string } {
    return { REDIS_URL: `redis://127.0.0.1:${this.ports[0]}`, REDIS_CLUSTER_NODES: this.nodes };
  }

  /** Runs `fn` with a plain connection to each node in turn (commands that go to every master: FLUSHALL, KEYS). */
  async eachNode<T>(fn: (node: Redis, port: number) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (const port of this.ports) {
      const node = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await node.connect();
        results.push(await fn(node, port));
      } finally {
        node.disconnect();
      }
    }
    return results;
  }

  /** Empties every master, as losing the cluster's data would. */
  async flushAll(): Promise<void> {
    await this.eachNode((node) => node.flushall());
  }

  private async launch(masters: number, args: string[]): Promise<void> {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      this.ports.push(port);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          this.dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          ...args,
        ],
        { stdio: 'ignore' },
      );
      this.children.push(child);
      await waitForPort(port);
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // Every node must see every slot served before a client may rely on it.
    await waitFor(
      async () =>
        (await this.eachNode(async (node) => /cluster_state:ok/.test(await node.cluster('INFO')))).every(
          Boolean,
        ),
      { what: 'cluster_state:ok on every node', timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
