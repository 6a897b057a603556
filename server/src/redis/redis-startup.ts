import { Cluster } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { createRedisConnection, RedisClient } from './redis-connection';

/** Redis could not be used at start-up; `code` is the underlying one (ECONNREFUSED, WRONGPASS, a TLS code…). */
export class RedisConnectError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RedisConnectError';
  }
}

type RedisFailure = Error & { code?: string };

/** TLS verification failures (Node's codes): the certificate is not trusted or does not name the host. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;

/**
 * Mistakes in the TLS and cluster settings, in words naming the setting to fix (the server's own words kept);
 * undefined for anything else.
 */
export function explainRedisSetupError(err: RedisFailure): { message: string; code?: string } | undefined {
  const text = err.message;
  if (err.code && CERTIFICATE_CODES.test(err.code))
    return {
      code: err.code,
      message:
        `Redis's TLS certificate was not accepted (${err.code}: ${text}): give its CA, or its self-signed ` +
        'certificate, as REDIS_TLS_CA (in development, REDIS_TLS_INSECURE=true accepts any certificate)',
    };
  if (/wrong version number|packet length too long/i.test(text))
    return {
      code: err.code,
      message: `Redis did not answer in TLS (${text}): use redis:// in REDIS_URL, or enable TLS on the server`,
    };
  if (/cluster support disabled/i.test(text))
    return { code: err.code, message: `REDIS_CLUSTER_NODES names a Redis that is not a cluster (${text})` };
  return undefined;
}

/** Why Redis refused, in words naming the setting to fix; the server's own words are kept. */
export function explainRedisError(err: RedisFailure): { message: string; code?: string } {
  const setup = explainRedisSetupError(err);
  if (setup) return setup;
  const reply = /^(WRONGPASS|NOAUTH|NOPERM)\b/.exec(err.message)?.[1];
  if (reply === 'WRONGPASS')
    return { code: reply, message: `Redis refused the user name or password in REDIS_URL (${err.message})` };
  if (reply === 'NOAUTH')
    return { code: reply, message: `Redis requires a password, and REDIS_URL has none (${err.message})` };
  if (reply === 'NOPERM')
    return {
      code: reply,
      message: `the Redis user in REDIS_URL lacks a permission Courseloom needs (${err.message})`,
    };
  return { code: err.code, message: `Redis connection error: ${err.message}` };
}

/** A cluster says "Failed to refresh slots cache" or "None of startup nodes is available"; its node's error says why. */
function nodeError(err: unknown): RedisFailure {
  const e = err as RedisFailure & { lastNodeError?: Error };
  return (e.lastNodeError ?? e) as RedisFailure;
}

/**
 * Connects a lazy client at start-up. ioredis rejects with a bare "Connection is closed." and reports the reason
 * (a refused password, a certificate, a refused connection) only as an `error` event: the error thrown says it.
 * A failed client is disconnected, so no reconnect loop logs behind the start-up error.
 */
export async function connectRedis(client: RedisClient): Promise<void> {
  let last: unknown;
  const remember = (err: unknown): void => {
    last = err;
  };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    const cause = nodeError(last ?? err);
    const { message, code } = explainRedisError(cause);
    throw new RedisConnectError(message, code, { cause });
  } finally {
    client.off('error', remember);
  }
  if (!(client instanceof Cluster)) {
    const mode = /^redis_mode:(\S+)/m.exec(await client.info('server'))?.[1];
    if (mode === 'cluster')
      throw new RedisConnectError(
        'REDIS_URL points at a Redis Cluster node: list the cluster nodes in REDIS_CLUSTER_NODES',
        'CLUSTER',
      );
  }
}

/**
 * One connection attempt and a PING, for the start-up check of the services (preflight/check-services.ts), on one
 * server, through Sentinel or on a cluster. Throws the socket's or the server's own error, which that check puts in
 * words — except TLS and cluster mistakes, thrown as a RedisConnectError naming the setting to fix.
 */
export async function pingRedisOnce(config: AppConfig): Promise<void> {
  const client = createRedisConnection(config, 'client', { lazyConnect: true, singleAttempt: true });
  let last: unknown;
  client.on('error', (err: unknown) => (last = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const cause = nodeError(last ?? err);
    const setup = explainRedisSetupError(cause);
    if (setup) throw new RedisConnectError(setup.message, setup.code, { cause });
    throw cause;
  } finally {
    client.disconnect();
  }
}
