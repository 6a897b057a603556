import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { LlmUsage } from '../../generation/llm-provider';
import type { RedisClient } from '../../redis/redis-connection';
import { redisKey } from '../../redis/redis-keys';
import { REDIS_CLIENT } from '../../redis/redis.constants';

/** The cost of one outline call, kept until the admin approves one of its proposals. */
export interface PendingOutlineUsage extends LlmUsage {
  organization_id: string;
  model: string;
  duration_ms: number;
  /** USD; null = unknown price (docs/costs.md). Absent in entries kept before costs were recorded. */
  cost_usd?: number | null;
  /** Who asked for the proposals. */
  user_id?: string;
}

/** How long proposals can wait for approval and still have their cost recorded. */
export const OUTLINE_USAGE_TTL_SECONDS = 24 * 60 * 60;

/**
 * Outline proposals are made before their course exists, so their token usage cannot be written to
 * `generation_usage` (which belongs to a course) at once. It is kept in Redis under a server-made id returned with
 * the proposals; approving with that id takes it (GETDEL: once, across API processes) and records it on the new
 * course. Proposals never approved, or approved after a day, leave no usage row.
 */
@Injectable()
export class OutlineUsageStore {
  private readonly logger = new Logger(OutlineUsageStore.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private key(id: string): string {
    return redisKey(this.config, 'outline-usage', id);
  }

  /** Best effort: proposals are still returned if Redis does not answer (only their usage would be lost). */
  async put(id: string, usage: PendingOutlineUsage): Promise<void> {
    try {
      await this.redis.set(this.key(id), JSON.stringify(usage), 'EX', OUTLINE_USAGE_TTL_SECONDS);
    } catch (err) {
      this.logger.warn({
        msg: 'Could not keep the outline usage for approval',
        error: (err as Error).message,
      });
    }
  }

  /** The usage of `id` if it belongs to `organizationId`; removed so it is recorded once. */
  async take(id: string, organizationId: string): Promise<PendingOutlineUsage | null> {
    const raw = await this.redis.getdel(this.key(id));
    if (!raw) return null;
    const usage = JSON.parse(raw) as PendingOutlineUsage;
    return usage.organization_id === organizationId ? usage : null;
  }

  /** Puts back what `take` returned (the approval that took it did not commit). */
  async restore(id: string, usage: PendingOutlineUsage): Promise<void> {
    await this.put(id, usage);
  }
}
