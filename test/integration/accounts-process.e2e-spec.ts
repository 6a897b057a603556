import { freePort } from '../support/redis-server';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import request from 'supertest';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from '../../server/src/accounts/owner-bootstrap.service';
import { API_ENTRY, ProductProcess, ROOT } from '../support/processes';
import { uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testRedisUrl } from '../support/test-env';

const CLI_ENTRY = 'dist/server/server/src/cli/user-create.js';

async function sql<T>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** bcrypt hashes ($2a$/$2b$…), which must never reach a log line. */
const BCRYPT_HASH = /\$2[aby]\$\d\d\$/;

describe('accounts in the real processes: first start, logs, user:create', () => {
  const databases: string[] = [];
  const running: ProductProcess[] = [];
  const freshDatabase = async (): Promise<string> => {
    const url = await createSuiteDatabase();
    databases.push(url);
    return url;
  };
  const startApi = async (env: Record<string, string>): Promise<{ api: ProductProcess; baseUrl: string }> => {
    const port = await freePort();
    const api = new ProductProcess(API_ENTRY, {
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      START_WORKER: 'false',
      PORT: String(port),
      ...env,
    });
    running.push(api);
    return { api, baseUrl: `http://127.0.0.1:${port}` };
  };

  afterAll(async () => {
    for (const p of running) p.kill();
    await Promise.all(running.map((p) => p.waitForExit().catch(() => undefined)));
    for (const url of databases) await dropSuiteDatabase(url);
  });

  it('development first start: the default owner with a random password printed once; no other secret in any log line', async () => {
    const databaseUrl = await freshDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    };
    const { api, baseUrl } = await startApi(env);
    await api.waitForOutput(/Courseloom API on/);
    const announced = api.output.match(
      /created the owner admin@courseloom\.local with the random password \S+/g,
    );
    expect(announced).toHaveLength(1);
    const password = announced![0].split(' ').pop()!; // docs/accounts-and-curriculum.md#the-first-user

    const login = await request(baseUrl)
      .post('/api/auth/login')
      .send({ email: DEV_ADMIN_EMAIL, password })
      .expect(200);
    expect(login.body.user).toMatchObject({
      email: DEV_ADMIN_EMAIL,
      role: 'owner',
      organization: { name: 'Courseloom' },
    });
    const token: string = login.body.access_token;
    await request(baseUrl)
      .post('/api/auth/login')
      .send({ email: DEV_ADMIN_EMAIL, password: 'a-wrong-password' })
      .expect(401);
    await request(baseUrl).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    await request(baseUrl)
      .get('/api/admin/curriculum/courses')
      .set('Cookie', `courseloom_session=${token}`)
      .expect(200);
    await request(baseUrl).post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const [{ password_hash: hash }] = await sql<{ password_hash: string }>(
      databaseUrl,
      'SELECT password_hash FROM users',
    );

    api.kill('SIGTERM');
    await api.waitForExit();
    expect(api.output).toMatch(/Failed login/); // the failure is logged…
    expect(api.output.split(password)).toHaveLength(2); // …but no password beyond the one announcement,
    expect(api.output).not.toContain(DEV_ADMIN_PASSWORD);
    expect(api.output).not.toContain('a-wrong-password');
    expect(api.output).not.toContain(token); // a token,
    expect(api.output).not.toContain(token.split('.')[2]); // or even its signature,
    expect(api.output).not.toContain(hash); // or a hash
    expect(api.output).not.toMatch(BCRYPT_HASH);

    // A second start finds the owner and says nothing about it.
    const again = await startApi(env);
    await again.api.waitForOutput(/Courseloom API on/);
    expect(again.api.output).not.toMatch(/created the owner/);
    expect(await sql(databaseUrl, 'SELECT id FROM users')).toHaveLength(1);
  });

  it('two API processes starting together on an empty database create exactly one owner', async () => {
    const databaseUrl = await freshDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: 'first@example.test',
      ADMIN_PASSWORD: 'first-password',
    };
    const [a, b] = await Promise.all([startApi(env), startApi(env)]);
    await Promise.all([a.api.waitForOutput(/Courseloom API on/), b.api.waitForOutput(/Courseloom API on/)]);
    expect(await sql(databaseUrl, 'SELECT email, role FROM users')).toEqual([
      { email: 'first@example.test', role: 'owner' },
    ]);
    expect(await sql(databaseUrl, 'SELECT name FROM organizations')).toEqual([{ name: 'Courseloom' }]);
    expect(`${a.api.output}${b.api.output}`.match(/First start: created the owner/g)).toHaveLength(1);
    expect(`${a.api.output}${b.api.output}`).not.toContain('first-password');
  });

  it('production without ADMIN_PASSWORD: the first owner gets a random password, printed once, that signs in', async () => {
    const databaseUrl = await freshDatabase();
    const { api, baseUrl } = await startApi({
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      AUTH_SECRET: 'a-production-secret-of-at-least-32-chars',
    });
    await api.waitForOutput(/Courseloom API on/);
    const match = /created the owner (\S+) with the random password (\S+) /.exec(api.output);
    expect(match).not.toBeNull();
    const [, email, password] = match!;
    expect(email).toBe(DEV_ADMIN_EMAIL);
    expect(password).not.toBe(DEV_ADMIN_PASSWORD);
    expect(password.length).toBeGreaterThanOrEqual(20);
    await request(baseUrl).post('/api/auth/login').send({ email, password }).expect(200);
    expect(await sql(databaseUrl, 'SELECT email, role, is_operator FROM users')).toEqual([
      { email: DEV_ADMIN_EMAIL, role: 'owner', is_operator: true },
    ]);
    api.kill('SIGTERM');
    await api.waitForExit();
    expect(api.output.split(password)).toHaveLength(2); // printed exactly once
  });

  it('npm run user:create: new organization by name, the first organization by default, clear failures', async () => {
    const databaseUrl = await freshDatabase();
    const env = { DATABASE_URL: databaseUrl };
    const first = await runCli(
      ['--email', 'Owner@Example.test', '--password', 'owner-password', '--role', 'owner'],
      env,
    );
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toMatch(/Created owner owner@example\.test .* in organization "Courseloom"/);
    const second = await runCli(
      [
        '--email',
        'ann@example.test',
        '--password',
        'ann-password',
        '--role',
        'admin',
        '--organization',
        'Initech',
      ],
      env,
    );
    expect(second.output).toMatch(/Created admin ann@example\.test .* in organization "Initech"/);
    const third = await runCli(['--email', 'bob@example.test', '--password', 'bob-password'], env);
    expect(third.output).toMatch(/Created admin bob@example\.test .* in organization "Courseloom"/);
    const sameOrg = await runCli(
      ['--email', 'cy@example.test', '--password', 'cy-password1', '--organization', 'initech'],
      env,
    );
    expect(sameOrg.output).toMatch(/in organization "Initech"/);

    const duplicate = await runCli(['--email', 'OWNER@example.test', '--password', 'whatever-1'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.output).toMatch(/already exists/);
    expect((await runCli(['--email', 'x@example.test', '--password', 'short'], env)).output).toMatch(
      /at least 8/,
    );
    expect((await runCli(['--email', 'x@example.test'], env)).code).toBe(2);
    expect(
      (await runCli(['--email', 'x@example.test', '--password', 'long-enough', '--role', 'root'], env)).code,
    ).toBe(2);
    for (const run of [first, second, third, duplicate])
      expect(run.output).not.toMatch(/owner-password|ann-password|bob-password/);

    const users = await sql<{ email: string; role: string; name: string }>(
      databaseUrl,
      'SELECT u.email, u.role, o.name FROM users u JOIN organizations o ON o.id = u.organization_id ORDER BY u.email',
    );
    expect(users).toEqual([
      { email: 'ann@example.test', role: 'admin', name: 'Initech' },
      { email: 'bob@example.test', role: 'admin', name: 'Courseloom' },
      { email: 'cy@example.test', role: 'admin', name: 'Initech' },
      { email: 'owner@example.test', role: 'owner', name: 'Courseloom' },
    ]);

    // The users it makes can sign in to a running API.
    const { api, baseUrl } = await startApi(env);
    await api.waitForOutput(/Courseloom API on/);
    await request(baseUrl)
      .post('/api/auth/login')
      .send({ email: 'ann@example.test', password: 'ann-password' })
      .expect(200);
  });
});
