import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { RedisClient } from '../../redis/redis-connection';
import { RedisConnections } from '../../redis/redis-connections';
import { redisKey } from '../../redis/redis-keys';
import { publishToAll } from '../../redis/redis-pubsub';
import { REDIS_CLIENT } from '../../redis/redis.constants';
import { CHANNELS } from '../jobs.constants';

const ACK_TIMEOUT_MS = 3000;

/**
 * Cancels a job's in-flight model calls in every worker process. The API publishes after the row is already
 * `cancelled`; each process aborts its running calls for that job and acknowledges; the API answers only once
 * every subscriber has acknowledged, so no model request for the job can start after the cancel returns.
 * (A step registers its AbortController before its last status check, so it either sees `cancelled` or is aborted.)
 */
@Injectable()
export class CancelBus implements OnApplicationShutdown {
  private readonly logger = new Logger(CancelBus.name);
  private readonly running = new Map<string, Set<AbortController>>();
  private readonly pendingAcks = new Map<string, { expected: number; received: number; done: () => void }>();
  private subscriber?: RedisClient;
  private subscribing?: Promise<void>;
  private listening = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {}

  private channel(name: string): string {
    return redisKey(this.config, name);
  }

  /** Worker processes listen for cancels (the API alone only publishes). */
  async listen(): Promise<void> {
    await this.ensureSubscriber();
    if (this.listening) return;
    this.listening = true;
    await this.subscriber!.subscribe(this.channel(CHANNELS.cancel));
  }

  /** Registers a step's controller; call `release` when the step ends. */
  register(jobId: string): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const set = this.running.get(jobId) ?? new Set<AbortController>();
    set.add(controller);
    this.running.set(jobId, set);
    return {
      signal: controller.signal,
      release: () => {
        set.delete(controller);
        if (set.size === 0) this.running.delete(jobId);
      },
    };
  }

  /** Aborts the job's model calls everywhere and waits (bounded) until every listening process has done so. */
  async broadcast(jobId: string): Promise<void> {
    await this.ensureSubscriber();
    const nonce = randomUUID();
    let done!: () => void;
    const acked = new Promise<void>((resolve) => (done = resolve));
    this.pendingAcks.set(nonce, { expected: Infinity, received: 0, done });
    try {
      // Every subscriber in the deployment, on whichever node of a cluster it listens.
      const receivers = await publishToAll(
        this.redis,
        this.channel(CHANNELS.cancel),
        JSON.stringify({ jobId, nonce }),
      );
      // Only processes that run steps subscribe to the cancel channel, so each receiver will acknowledge.
      const entry = this.pendingAcks.get(nonce)!;
      entry.expected = receivers;
      if (entry.received >= entry.expected) done();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([acked, new Promise<void>((r) => (timer = setTimeout(r, ACK_TIMEOUT_MS)))]);
      clearTimeout(timer);
    } finally {
      this.pendingAcks.delete(nonce);
    }
  }

  private abortLocal(jobId: string): number {
    const set = this.running.get(jobId);
    if (!set) return 0;
    for (const c of set) c.abort(new Error('The job was cancelled'));
    return set.size;
  }

  private async ensureSubscriber(): Promise<void> {
    this.subscribing ??= (async () => {
      const sub = this.connections.create('subscriber');
      sub.on('error', (err: Error) => this.logger.debug(`cancel subscriber: ${err.message}`));
      await sub.connect();
      // Every process hears acks; only processes that run steps hear cancels (see listen()).
      await sub.subscribe(this.channel(CHANNELS.cancelAck));
      sub.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
      this.subscriber = sub;
    })();
    await this.subscribing;
  }

  private onMessage(channel: string, raw: string): void {
    const msg = JSON.parse(raw) as { jobId: string; nonce: string };
    if (channel === this.channel(CHANNELS.cancel)) {
      const aborted = this.abortLocal(msg.jobId);
      if (aborted > 0)
        this.logger.log({
          msg: `Aborted ${aborted} running model call(s) of cancelled job ${msg.jobId}`,
          job_id: msg.jobId,
        });
      void this.redis.publish(this.channel(CHANNELS.cancelAck), JSON.stringify(msg)).catch(() => undefined);
    } else {
      const entry = this.pendingAcks.get(msg.nonce);
      if (!entry) return;
      entry.received += 1;
      if (entry.received >= entry.expected) entry.done();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
