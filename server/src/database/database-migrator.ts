import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Arbitrary constant: every process of the product takes this advisory lock before migrating. */
const MIGRATION_LOCK_KEY = 74_310_001;

/** Runs pending migrations at start-up, one process at a time (the API and workers may start together). */
@Injectable()
export class DatabaseMigrator implements OnModuleInit {
  private readonly logger = new Logger(DatabaseMigrator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.RUN_MIGRATIONS) return;
    await runMigrationsLocked(this.dataSource, this.logger);
  }
}

export async function runMigrationsLocked(dataSource: DataSource, logger?: Logger): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    if (ran.length > 0)
      logger?.log(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
    return ran.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
