import type { INestApplicationContext } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { loadEnvFileOrExit } from './config/env-file';
import { UnsafeDefaultsError } from './config/published-defaults';
import { redactUrl } from './database/data-source-options';
import { RedisPrefixInUseError } from './installation/installation-marker';
import { describeServiceFailure, ServiceName, ServiceUnavailableError } from './preflight/service-failure';
import { RedisEvictionPolicyError } from './redis/redis-eviction-check';
import { RedisConnectError } from './redis/redis-startup';

/** Loads `.env` and the config, or exits naming every bad variable (nothing is logged through pino yet). */
export function loadConfigOrExit(): AppConfig {
  loadEnvFileOrExit();
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * The failures whose message is the whole explanation, so they are logged without a stack: a missing service
 * (preflight/check-services.ts), or a refusal naming its fix.
 */
export function explainStartupError(err: unknown, config: AppConfig): string | undefined {
  if (err instanceof ServiceUnavailableError) return err.message;
  if (err instanceof RedisEvictionPolicyError || err instanceof UnsafeDefaultsError) return err.message;
  if (err instanceof RedisPrefixInUseError || err instanceof RedisConnectError) return err.message;
  // A service lost between that check and the module that next used it.
  const service = serviceOf(err, config);
  return (
    service &&
    describeServiceFailure(service, service === 'Redis' ? config.REDIS_URL : config.DATABASE_URL, err)
  );
}

/** Which service a raw connection error came from: by the port it tried, else by its wording. */
function serviceOf(err: unknown, config: AppConfig): ServiceName | undefined {
  const e = err as { code?: unknown; port?: unknown; message?: unknown } | undefined;
  const port = (url: string, fallback: number): number => Number(new URL(url).port || fallback);
  if (typeof e?.port === 'number') {
    if (e.port === port(config.DATABASE_URL, 5432)) return 'PostgreSQL';
    if (e.port === port(config.REDIS_URL, 6379)) return 'Redis';
  }
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return 'PostgreSQL'; // a SQLSTATE
  if (typeof e?.message === 'string' && /^(NOAUTH|WRONGPASS)\b/.test(e.message)) return 'Redis';
  return undefined;
}

/** A start-up failure in words an operator can act on, naming the variable to fix. */
export function describeStartupError(err: unknown, config: AppConfig): string {
  const explained = explainStartupError(err, config);
  if (explained) return explained;
  const text = err instanceof Error ? err.message : String(err);
  // ioredis's own words when its connection dropped during start-up.
  if (/redis|connection is closed/i.test(text)) {
    return `Cannot use Redis at REDIS_URL=${redactUrl(config.REDIS_URL)}: ${text}`;
  }
  if (/postgres|database|password authentication/i.test(text)) {
    return `Cannot connect to PostgreSQL at DATABASE_URL=${redactUrl(config.DATABASE_URL)}: ${text}`;
  }
  return `Start-up failed: ${text}`;
}

/** The fatal line of a failed start-up: the explanation alone when it is one, else with the error and its stack. */
export function logStartupFailure(logger: PinoLogger, err: unknown, config: AppConfig): void {
  const explained = explainStartupError(err, config);
  if (explained) logger.fatal(explained);
  else logger.fatal({ err }, describeStartupError(err, config));
}

/**
 * SIGTERM/SIGINT: stop taking work, let running work finish (modules' shutdown hooks, bounded by
 * SHUTDOWN_GRACE_MS), exit 0. Nest's own shutdown hooks re-raise the signal, which exits non-zero.
 */
export function exitGracefullyOnSignals(
  app: INestApplicationContext,
  config: AppConfig,
  logger: PinoLogger,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info(
      { signal },
      `Received ${signal}: finishing running work (up to ${config.SHUTDOWN_GRACE_MS} ms)`,
    );
    const deadline = setTimeout(() => {
      logger.error('Grace period over: exiting with work still running');
      logger.flush();
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 2000);
    deadline.unref();
    app
      .close()
      .then(() => {
        logger.info('Shut down cleanly');
        logger.flush();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'Error while shutting down');
        logger.flush();
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
