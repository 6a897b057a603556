import type { Redis } from 'ioredis';

export class RedisEvictionPolicyError extends Error {
  constructor(policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", but Courseloom needs "noeviction": any other policy lets Redis ` +
        `silently delete queued jobs. Run "CONFIG SET maxmemory-policy noeviction" (and set it in redis.conf).`,
    );
    this.name = 'RedisEvictionPolicyError';
  }
}

/** Reads maxmemory-policy (CONFIG GET, or INFO where CONFIG is disabled, as on some managed services). */
export async function readEvictionPolicy(client: Redis): Promise<string> {
  try {
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    if (reply.length >= 2) return reply[1];
  } catch {
    // CONFIG may be renamed or disabled; INFO still reports the policy.
  }
  const info = await client.info('memory');
  const match = /maxmemory_policy:(\S+)/.exec(info);
  return match ? match[1] : 'unknown';
}

export async function assertNoEviction(client: Redis): Promise<void> {
  const policy = await readEvictionPolicy(client);
  if (policy !== 'noeviction') throw new RedisEvictionPolicyError(policy);
}
