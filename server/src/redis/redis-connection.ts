import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { parseRedisNodes, RedisNode } from './redis-nodes';

/**
 * What a connection is for. `worker`: BullMQ workers and event listeners (they block on Redis and must never give
 * up a command). `queue`: producers, which wait briefly through a reconnect (the reconciler covers longer outages).
 * `client`: fails fast, for health checks, locks and rate limits. `subscriber`: pub/sub (the cancel bus), which
 * waits through a reconnect and subscribes again.
 */
export type RedisRole = 'worker' | 'queue' | 'client' | 'subscriber';

/** The shared client (REDIS_CLIENT) and every connection the factory makes: one server, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

const ROLE_OPTIONS: Record<RedisRole, Partial<RedisOptions>> = {
  worker: { maxRetriesPerRequest: null, enableReadyCheck: false },
  queue: { maxRetriesPerRequest: 2 },
  client: { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  subscriber: { maxRetriesPerRequest: null, enableOfflineQueue: true },
};

/** Reconnect forever with a capped delay: Redis restarting must not kill a worker. */
const retryDelay = (times: number): number => Math.min(times * 200, 2000);

/** REDIS_CLUSTER_NODES as nodes; undefined on one server (or Sentinel). Validated by loadConfig. */
export function clusterNodes(config: AppConfig): RedisNode[] | undefined {
  if (!config.REDIS_CLUSTER_NODES) return undefined;
  const nodes = parseRedisNodes('REDIS_CLUSTER_NODES', config.REDIS_CLUSTER_NODES);
  return Array.isArray(nodes) ? nodes : undefined;
}

/** REDIS_SENTINELS as nodes; undefined without Sentinel. Validated by loadConfig. */
export function sentinelNodes(config: AppConfig): RedisNode[] | undefined {
  if (!config.REDIS_SENTINELS) return undefined;
  const nodes = parseRedisNodes('REDIS_SENTINELS', config.REDIS_SENTINELS);
  return Array.isArray(nodes) ? nodes : undefined;
}

/**
 * TLS for a `rediss://` REDIS_URL: the CA of REDIS_TLS_CA (else the system's), no verification with
 * REDIS_TLS_INSECURE (refused in production by loadConfig), and the host name for SNI and the certificate check
 * (`host` undefined on a cluster: each node's own address is checked).
 */
export function redisTlsOptions(config: AppConfig, host: string | undefined): TlsOptions | undefined {
  if (new URL(config.REDIS_URL).protocol !== 'rediss:') return undefined;
  return {
    ...(config.REDIS_TLS_CA ? { ca: readFileSync(config.REDIS_TLS_CA) } : {}),
    ...(config.REDIS_TLS_INSECURE ? { rejectUnauthorized: false } : {}),
    ...(host && isIP(host) === 0 ? { servername: host } : {}),
  };
}

/**
 * The options of one connection to the server REDIS_URL names (credentials, database, TLS) for `role`. With
 * Sentinel, the sentinels are asked for the master of REDIS_SENTINEL_NAME instead of REDIS_URL's host.
 */
export function redisConnectionOptions(config: AppConfig, role: RedisRole): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const sentinels = sentinelNodes(config);
  const base: RedisOptions = {
    host,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: redisTlsOptions(config, sentinels ? undefined : host),
    connectTimeout: 5000,
    retryStrategy: retryDelay,
    ...(sentinels
      ? {
          sentinels,
          name: config.REDIS_SENTINEL_NAME,
          sentinelRetryStrategy: retryDelay,
          // The sentinels speak TLS when the servers do (REDIS_URL's scheme), with the same CA.
          enableTLSForSentinelMode: url.protocol === 'rediss:',
          sentinelTLS: redisTlsOptions(config, undefined),
        }
      : {}),
  };
  return { ...base, ...ROLE_OPTIONS[role] };
}

/** The ioredis Cluster options for `role`: REDIS_URL's credentials and TLS apply to every node. */
export function redisClusterOptions(config: AppConfig, role: RedisRole): ClusterOptions {
  const tls = redisTlsOptions(config, undefined);
  const node = redisConnectionOptions(config, role);
  return {
    redisOptions: {
      username: node.username,
      password: node.password,
      tls,
      connectTimeout: node.connectTimeout,
      maxRetriesPerRequest: node.maxRetriesPerRequest,
      enableReadyCheck: node.enableReadyCheck,
    },
    enableOfflineQueue: node.enableOfflineQueue ?? true,
    clusterRetryStrategy: retryDelay,
    // With TLS, keep the nodes' host names: the certificates name hosts, not the addresses they resolve to.
    ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}

/**
 * A new connection for `role`: an ioredis Cluster when REDIS_CLUSTER_NODES is set, else one Redis. `singleAttempt`:
 * connect once and never reconnect (a start-up question, not a connection to keep).
 */
export function createRedisConnection(
  config: AppConfig,
  role: RedisRole,
  extra: { lazyConnect?: boolean; singleAttempt?: boolean } = {},
): RedisClient {
  const { lazyConnect, singleAttempt } = extra;
  const once = singleAttempt ? { maxRetriesPerRequest: 0, enableOfflineQueue: false } : {};
  const nodes = clusterNodes(config);
  if (nodes) {
    const options = redisClusterOptions(config, role);
    return new Cluster(nodes, {
      ...options,
      lazyConnect,
      ...(singleAttempt
        ? {
            clusterRetryStrategy: () => null,
            enableOfflineQueue: false,
            redisOptions: { ...options.redisOptions, ...once },
          }
        : {}),
    });
  }
  return new Redis({
    ...redisConnectionOptions(config, role),
    lazyConnect,
    ...(singleAttempt ? { ...once, retryStrategy: () => null, sentinelRetryStrategy: () => null } : {}),
  });
}

/**
 * BullMQ's `connection` for a Queue, Worker or QueueEvents. On one server: options, and BullMQ opens and closes its
 * own connections. On a cluster: a new (lazy) ioredis Cluster, which BullMQ uses but never closes — its owner must
 * (RedisConnections does, for the product's queues and workers).
 */
export function bullConnection(config: AppConfig, role: 'worker' | 'queue'): ConnectionOptions {
  if (clusterNodes(config)) return createRedisConnection(config, role, { lazyConnect: true }) as Cluster;
  // BullMQ declares its own (structurally compatible) RedisOptions.
  return redisConnectionOptions(config, role) as ConnectionOptions;
}

/** The servers behind a connection, each checked at start-up: one, or every master of a cluster. */
export function redisServers(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
