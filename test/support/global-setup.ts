import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  createDatabase,
  databaseExists,
  dropDatabase,
  templateDatabaseName,
  withAdminClient,
} from './test-database';
import { dockerEngineAnswers, startContainers } from './docker-services';
import { databaseName, TEMPLATE_DB_ENV, testDatabaseUrl, withDatabase } from './test-env';

const ROOT = join(__dirname, '..', '..');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Once per jest run: find PostgreSQL and Redis, build the server (suites start real worker processes from it),
 * and migrate a template database with the real migrations through the TypeORM CLI.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.TEST_REDIS_URL && (await dockerEngineAnswers())) {
    const { databaseUrl, redisUrl } = await startContainers();
    process.env.TEST_DATABASE_URL = databaseUrl;
    process.env.TEST_REDIS_URL = redisUrl;
  }
  run('node', ['scripts/ensure-built.mjs', 'server']);

  const template = templateDatabaseName();
  process.env[TEMPLATE_DB_ENV] = template;
  const base = databaseName(testDatabaseUrl());
  await withAdminClient(async (client) => {
    if (!(await databaseExists(client, base))) await createDatabase(client, base).catch(() => undefined);
    // Suite databases left by runs that were killed before their teardown. (Old templates are kept: another
    // run on this machine may still be copying one.)
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${base}\\_s%`],
    );
    for (const { datname } of rows) {
      const pid = /_s(\d+)_/.exec(datname)?.[1];
      if (pid !== undefined && !pidAlive(Number(pid)))
        await dropDatabase(client, datname).catch(() => undefined);
    }
    if (await databaseExists(client, template)) return;
    const building = `${base}_tplb_${process.pid}`;
    await dropDatabase(client, building);
    await createDatabase(client, building);
    run('npx', ['typeorm', 'migration:run', '-d', 'dist/server/server/src/database/data-source.js'], {
      DATABASE_URL: withDatabase(testDatabaseUrl(), building),
      LOG_LEVEL: 'silent',
    });
    try {
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } catch (err) {
      // Another jest run built the same template first; ours is not needed.
      await dropDatabase(client, building);
      if (!(await databaseExists(client, template))) throw err;
    }
  });
}
