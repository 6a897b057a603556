import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseName, TEMPLATE_DB_ENV, testDatabaseUrl, withDatabase } from './test-env';

const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(testDatabaseUrl(), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The template's name changes whenever a migration does, so a stale template is never used. */
export function templateDatabaseName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    if (file.endsWith('.ts')) hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return `${databaseName(testDatabaseUrl())}_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export async function databaseExists(client: Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

export async function createDatabase(client: Client, name: string, template?: string): Promise<void> {
  await client.query(`CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`);
}

export async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
}

/**
 * A fresh database for one suite, copied from the migrated template: suites never share rows, so they can run
 * in any order and in parallel. The name carries the pid so leftovers of a killed run can be found and dropped.
 */
export async function createSuiteDatabase(): Promise<string> {
  const template = process.env[TEMPLATE_DB_ENV];
  if (!template) throw new Error(`${TEMPLATE_DB_ENV} is not set: run the suites through jest (global-setup)`);
  const name = `${databaseName(testDatabaseUrl())}_s${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (client) => {
    // Two CREATE DATABASE … TEMPLATE at once on the same template fail ("being accessed"); retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await createDatabase(client, name, template);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return withDatabase(testDatabaseUrl(), name);
}

export async function dropSuiteDatabase(url: string): Promise<void> {
  await withAdminClient((client) => dropDatabase(client, databaseName(url)));
}
