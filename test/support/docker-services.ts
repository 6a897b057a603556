import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** True when a Docker engine answers on its socket (testcontainers needs one; most of our machines have none). */
export async function dockerEngineAnswers(): Promise<boolean> {
  const socketPath = process.env.DOCKER_HOST?.startsWith('unix://')
    ? process.env.DOCKER_HOST.slice('unix://'.length)
    : '/var/run/docker.sock';
  if (process.env.DOCKER_HOST && !process.env.DOCKER_HOST.startsWith('unix://')) return true;
  if (!existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1500 }, (res) =>
      resolve(res.statusCode === 200),
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Starts PostgreSQL 16 and Redis 7 containers and returns their URLs. */
export async function startContainers(): Promise<{ databaseUrl: string; redisUrl: string }> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [pg, redis] = await Promise.all([
    new PostgreSqlContainer('postgres:16-alpine')
      .withDatabase('courseloom_test')
      .withUsername('postgres')
      .start(),
    new RedisContainer('redis:7-alpine')
      .withCommand(['redis-server', '--maxmemory-policy', 'noeviction'])
      .start(),
  ]);
  return { databaseUrl: pg.getConnectionUri(), redisUrl: redis.getConnectionUrl() };
}
