import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { API_ENTRY, ProductProcess } from '../support/processes';
import { freePort } from '../support/redis-server';
import { uniqueRedisPrefix } from '../support/test-app';
import {
  createSuiteDatabase,
  databaseExists,
  dropSuiteDatabase,
  withAdminClient,
} from '../support/test-database';
import { databaseName, testDatabaseUrl, testRedisUrl, withDatabase } from '../support/test-env';

const DB_CREATE_ENTRY = 'dist/server/server/src/cli/db-create.js';

// The test processes run with NODE_ENV=test, which skips a `.env` in the working directory: each case names its
// file with ENV_FILE (README, "Deployment").
describe('a .env file read by the real processes', () => {
  let dir: string;
  let databaseUrl: string;
  const running: ProductProcess[] = [];
  const envFile = (content: string): string => {
    const path = join(dir, `${randomBytes(4).toString('hex')}.env`);
    writeFileSync(path, content);
    return path;
  };
  const start = (entry: string, env: Record<string, string>): ProductProcess => {
    const p = new ProductProcess(entry, env);
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courseloom-env-file-'));
    databaseUrl = await createSuiteDatabase();
  });
  afterAll(async () => {
    for (const p of running) p.kill();
    rmSync(dir, { recursive: true, force: true });
    await dropSuiteDatabase(databaseUrl);
  });

  describe('the API', () => {
    it('takes what the environment lacks from the file, keeps what the environment sets, and logs no value', async () => {
      const port = await freePort();
      const secret = randomBytes(24).toString('hex');
      const path = envFile(
        [
          `PORT=${port}`,
          `AUTH_SECRET=${secret}`,
          'START_WORKER=true',
          'LOG_LEVEL=shout # invalid: only the environment value may be read',
          `REDIS_PREFIX=${uniqueRedisPrefix()}`,
        ].join('\n'),
      );
      const p = start(API_ENTRY, {
        ENV_FILE: path,
        DATABASE_URL: databaseUrl,
        REDIS_URL: testRedisUrl(),
        START_WORKER: 'false',
        LOG_LEVEL: 'info',
      });

      await p.waitForOutput(/Courseloom API on/);
      await request(`http://127.0.0.1:${port}`).get('/health/live').expect(200);
      const lines = p.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.find((l) => 'env_file' in l)).toMatchObject({
        level: 30,
        env_file: path,
        variables_set: 3,
        variables_kept: 2,
      });
      expect(lines.find((l) => String(l.msg).startsWith('Courseloom API on'))).toMatchObject({
        port,
        worker: false,
      });
      expect(p.output).not.toContain(secret);

      p.kill('SIGTERM');
      expect((await p.waitForExit()).code).toBe(0);
    });

    it('stops with a message naming ENV_FILE when the file is missing', async () => {
      const p = start(API_ENTRY, { ENV_FILE: join(dir, 'missing.env') });
      expect((await p.waitForExit()).code).toBe(1);
      expect(p.output).toContain(`ENV_FILE=${join(dir, 'missing.env')}: cannot read the .env file`);
      expect(p.output).toContain('no such file');
    });
  });

  describe('the command-line tools', () => {
    it('npm run db:create creates the database DATABASE_URL of the file names', async () => {
      const name = `${databaseName(testDatabaseUrl())}_envfile_${randomBytes(4).toString('hex')}`;
      const p = start(DB_CREATE_ENTRY, {
        ENV_FILE: envFile(`DATABASE_URL=${withDatabase(testDatabaseUrl(), name)}\n`),
      });
      try {
        expect((await p.waitForExit()).code).toBe(0);
        expect(p.output).toContain(`Created database ${name}`);
        await expect(withAdminClient((client) => databaseExists(client, name))).resolves.toBe(true);
      } finally {
        await dropSuiteDatabase(withDatabase(testDatabaseUrl(), name));
      }
    });
  });
});
