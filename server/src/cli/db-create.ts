import { Client } from 'pg';
import { describeServiceFailure } from '../preflight/service-failure';
import { loadConfigOrExit } from '../startup';

let failedUrl: string | undefined; // the URL being worked on, for the error message

/**
 * Creates the database of DATABASE_URL, and of each URL given as an argument, when missing.
 * Connects to the server's `postgres` database to do so.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  for (const url of new Set([config.DATABASE_URL, ...process.argv.slice(2)])) {
    failedUrl = url;
    await ensureDatabase(url);
  }
}

export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      // Identifiers cannot be bound as parameters; the name was validated by the config schema.
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`Created database ${name}`);
    }
  } catch (err) {
    // Two processes may race to create it; the loser's "already exists" is fine.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const explained = failedUrl && describeServiceFailure('PostgreSQL', failedUrl, err);
    console.error(
      explained || `Could not create the databases: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}
