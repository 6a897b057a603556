import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { RedisClient } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import { REDIS_CLIENT } from '../redis/redis.constants';

/** What the marker key holds: whose installation the prefix is, and where its database is (safe to show). */
export interface InstallationMarkerValue {
  id: string;
  database: string;
}

/** The marker's key, built here only. */
export function installationMarkerKey(config: Pick<AppConfig, 'REDIS_PREFIX'>): string {
  return redisKey(config, 'installation');
}

/** `host:port/database` of a DATABASE_URL: no user, password or parameters. */
export function describeDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '5432'}/${decodeURIComponent(url.pathname.slice(1))}`;
}

/** The marker read back from Redis; anything that is not one counts as another installation's. */
export function parseMarker(text: string | null): InstallationMarkerValue | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<InstallationMarkerValue>;
    if (typeof value.id === 'string' && typeof value.database === 'string')
      return value as InstallationMarkerValue;
  } catch {
    // not JSON: below
  }
  return { id: '', database: 'an unknown database (the key holds no installation marker)' };
}

/** Start-up refused: the prefix belongs to another installation. Its message is shown as is (startup.ts). */
export class RedisPrefixInUseError extends Error {
  constructor(prefix: string, key: string, other: string, ours: string) {
    const owner =
      other === ours
        ? `another installation whose database was also at ${other} (since re-created, or another server under that address)`
        : `the installation on ${other} (this one is on ${ours})`;
    super(
      `REDIS_PREFIX=${prefix} is used by ${owner}: give this installation its own REDIS_PREFIX, or its own Redis. ` +
        `If that installation no longer exists, delete the Redis key "${key}" and start again.`,
    );
    this.name = 'RedisPrefixInUseError';
  }
}

/**
 * Keeps two installations off one Redis prefix (docs/queue.md, "Sharing one Redis"): a worker would take the other's
 * jobs, find no row for them and drop them. Every process (API and worker) claims `<prefix>:installation` for its
 * database's installation id at start-up and refuses to start when the key names another.
 *
 * Checked at start-up only, in one round trip: the key has no TTL and Redis must run with noeviction (RedisModule
 * checks), so it goes only when Redis loses everything (queues included), and the next process to start writes it
 * again. Two installations both running through such a loss are caught when one of them restarts — rare enough not
 * to re-check on a timer.
 */
@Injectable()
export class InstallationMarker implements OnModuleInit {
  private readonly logger = new Logger(InstallationMarker.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const ours: InstallationMarkerValue = {
      id: await this.installationId(),
      database: describeDatabase(this.config.DATABASE_URL),
    };
    const key = installationMarkerKey(this.config);
    const stored = await this.claim(key, ours);
    if (stored && stored.id !== ours.id)
      throw new RedisPrefixInUseError(this.config.REDIS_PREFIX, key, stored.database, ours.database);
    this.logger.debug(`Redis prefix ${this.config.REDIS_PREFIX} belongs to this installation`);
  }

  /**
   * The id the first start wrote into the database, with the database's name: a database copied from a started one
   * (CREATE DATABASE … TEMPLATE) keeps the row but not the name, so it is another installation.
   */
  async installationId(): Promise<string> {
    await this.dataSource.query(`INSERT INTO installation (id) VALUES ($1) ON CONFLICT DO NOTHING`, [
      randomUUID(),
    ]);
    const [row] = (await this.dataSource.query(
      `SELECT id, current_database() AS database FROM installation`,
    )) as { id: string; database: string }[];
    return `${row.id}/${row.database}`;
  }

  /** SET NX and GET in one round trip: the marker now in Redis, ours or another installation's. */
  private async claim(key: string, ours: InstallationMarkerValue): Promise<InstallationMarkerValue | null> {
    const replies = await this.redis.multi().set(key, JSON.stringify(ours), 'NX').get(key).exec();
    const [error, stored] = replies?.[1] ?? [new Error(`Redis discarded the claim of ${key}`), null];
    if (error) throw error;
    return parseMarker(stored as string | null);
  }
}
