import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';
import { parseRedisNodes } from './redis-nodes';

type RedisSettings = Pick<
  AppConfig,
  | 'REDIS_URL'
  | 'REDIS_TLS_CA'
  | 'REDIS_TLS_INSECURE'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'isProduction'
>;

/** What is wrong with the Redis settings taken together, each naming its variable (loadConfig reports them). */
export function redisConfigProblems(config: RedisSettings): string[] {
  let url: URL;
  try {
    url = new URL(config.REDIS_URL);
  } catch {
    return []; // REDIS_URL's own check names it
  }
  const problems: string[] = [];
  const tls = url.protocol === 'rediss:';
  for (const name of ['REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const) {
    const value = config[name];
    if (value === undefined) continue;
    const nodes = parseRedisNodes(name, value);
    if (!Array.isArray(nodes)) problems.push(nodes.problem);
  }
  if (config.REDIS_CLUSTER_NODES && config.REDIS_SENTINELS)
    problems.push(
      'REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set: a Redis is a cluster or has sentinels',
    );
  if (config.REDIS_SENTINELS && !config.REDIS_SENTINEL_NAME)
    problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor');
  if (config.REDIS_CLUSTER_NODES && url.pathname.length > 1 && url.pathname !== '/0')
    problems.push(
      `REDIS_URL selects database ${url.pathname.slice(1)}, but a Redis Cluster has only database 0: drop it from REDIS_URL`,
    );
  if (config.REDIS_TLS_CA !== undefined) {
    if (!tls) problems.push('REDIS_TLS_CA is set but REDIS_URL is not rediss:// (TLS)');
    else problems.push(...certificateProblems(config.REDIS_TLS_CA));
  }
  if (config.REDIS_TLS_INSECURE) {
    if (!tls) problems.push('REDIS_TLS_INSECURE is set but REDIS_URL is not rediss:// (TLS)');
    else if (config.isProduction)
      problems.push(
        'REDIS_TLS_INSECURE=true is refused when NODE_ENV=production: it accepts any certificate, so anyone ' +
          "between here and Redis could read and change the queue. Give the server's CA (or its self-signed " +
          'certificate) as REDIS_TLS_CA instead',
      );
  }
  return problems;
}

/** Read once here so a missing or wrong file stops the start with its name, not a TLS error later. */
function certificateProblems(path: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    return [`REDIS_TLS_CA: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`];
  }
  return pem.includes('-----BEGIN CERTIFICATE-----')
    ? []
    : [`REDIS_TLS_CA: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`];
}
