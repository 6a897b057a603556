import type { Redis } from 'ioredis';

/** The oldest Redis the product runs on: GETDEL (outline usage) and BullMQ's recommended minimum are 6.2. */
export const MIN_REDIS_VERSION = '6.2.0';

export class RedisVersionError extends Error {
  constructor(found: string) {
    super(
      `Redis ${found} is too old: Courseloom needs Redis ${MIN_REDIS_VERSION} or newer ` +
        `(GETDEL and BullMQ's scripts). Upgrade the server REDIS_URL points at.`,
    );
    this.name = 'RedisVersionError';
  }
}

/** `redis_version` from INFO server text; undefined when absent (a proxy or a service that hides it). */
export function parseRedisVersion(info: string): string | undefined {
  return /^redis_version:([0-9][0-9.]*)/m.exec(info)?.[1];
}

/** Whether dotted version `a` is older than `b` (missing parts count as 0). */
export function isVersionBelow(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] || 0;
    const y = pb[i] || 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** Throws RedisVersionError on a Redis older than MIN_REDIS_VERSION; an unreported version passes. */
export async function assertRedisVersion(client: Redis): Promise<void> {
  const version = parseRedisVersion(await client.info('server'));
  if (version && isVersionBelow(version, MIN_REDIS_VERSION)) throw new RedisVersionError(version);
}
