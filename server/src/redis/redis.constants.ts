/** Injection token of the shared fail-fast Redis client (health, locks, rate limits). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
