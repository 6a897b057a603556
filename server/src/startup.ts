import type { INestApplicationContext } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { UnsafeDefaultsError } from './config/published-defaults';
import { redactUrl } from './database/data-source-options';
import { RedisEvictionPolicyError } from './redis/redis-eviction-check';

/** Loads the config or exits naming every bad variable (nothing is logged through pino yet). */
export function loadConfigOrExit(): AppConfig {
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

const PG_CODES: Record<string, string> = {
  '3D000': 'the database does not exist (run "npm run db:create")',
  '28P01': 'the password was rejected',
  '28000': 'the role is not allowed to connect',
  ECONNREFUSED: 'nothing answers at that address',
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
};

/** A start-up failure in words an operator can act on, naming the variable to fix. */
export function describeStartupError(err: unknown, config: AppConfig): string {
  if (err instanceof RedisEvictionPolicyError || err instanceof UnsafeDefaultsError) return err.message;
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e?.code ?? e?.errors?.[0]?.code;
  const text = `${e?.message ?? String(err)}`;
  const looksLikePg =
    (code && (code in PG_CODES || /^[0-9A-Z]{5}$/.test(code))) ||
    /postgres|database|password authentication/i.test(text);
  if (looksLikePg && !/redis/i.test(text)) {
    const reason = (code && PG_CODES[code]) ?? text;
    return `Cannot connect to PostgreSQL at DATABASE_URL=${redactUrl(config.DATABASE_URL)}: ${reason}`;
  }
  if (/redis|6379/i.test(text))
    return `Cannot use Redis at REDIS_URL=${redactUrl(config.REDIS_URL)}: ${text}`;
  return `Start-up failed: ${text}`;
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
