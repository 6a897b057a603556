import { join } from 'node:path';
import type { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Migrations live in the repository's `migrations/` folder (compiled beside it in dist). */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.{ts,js}');
const ENTITIES_GLOB = join(__dirname, '..', '**', '*.entity.{ts,js}');

export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: [ENTITIES_GLOB],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false, // DatabaseMigrator runs them under an advisory lock instead
    extra: {
      max: config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      // A connection killed just after it opened (PostgreSQL restarting, pg_terminate_backend) can report its error
      // in the same read as its ready message: after the pool handed it out, before TypeORM listens on it. With no
      // listener, Node throws the 'error' event and the process dies. This one keeps it alive; the query on the dead
      // connection still fails (an infrastructure error) and the pool discards it.
      onConnect: (client: ClientBase) => {
        client.on('error', () => undefined);
      },
    },
  };
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  // `*`: a Redis URL often has a password and no user (redis://:secret@host).
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
