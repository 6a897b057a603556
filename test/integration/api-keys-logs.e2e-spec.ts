import { freePort } from '../support/redis-server';
import request from 'supertest';
import type { CreatedApiKey } from '../../contracts/api';
import { API_ENTRY, ProductProcess } from '../support/processes';
import { uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testRedisUrl } from '../support/test-env';

const OWNER = { email: 'keys-owner@example.test', password: 'a long owner password' };

describe('API keys in the real API process: never in a log line', () => {
  let databaseUrl: string;
  let api: ProductProcess | undefined;

  afterAll(async () => {
    api?.kill();
    await api?.waitForExit().catch(() => undefined);
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
  });

  it('logs creation, use, refusals and revocation by prefix only, at debug level, whatever the client sends', async () => {
    databaseUrl = await createSuiteDatabase();
    const port = await freePort();
    api = new ProductProcess(API_ENTRY, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      START_WORKER: 'false',
      PORT: String(port),
      LOG_LEVEL: 'debug',
      LOGIN_RATE_LIMIT: '2',
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
    });
    await api.waitForOutput(/Courseloom API on/);
    const http = request(`http://127.0.0.1:${port}`);
    const login = await http.post('/api/auth/login').send(OWNER).expect(200);
    const session = `Bearer ${login.body.access_token as string}`;

    const created = (
      await http.post('/api/admin/api-keys').set('Authorization', session).send({ name: 'ci', role: 'admin' })
    ).body as CreatedApiKey;
    const { key, prefix } = created;
    const secret = key.slice(prefix.length + 1);
    const wrong = `${prefix}_${'B'.repeat(43)}`;
    const asKey = (k: string) => ({ Authorization: `Bearer ${k}` });

    await http.get('/api/admin/curriculum/generate/jobs').set(asKey(key)).expect(200);
    await http
      .put('/api/admin/settings')
      .set(asKey(key))
      .send({ monthly_budget_usd: 1, default_job_cap_usd: null })
      .expect(403);
    await http.get(`/api/admin/curriculum/courses?api_key=${key}`).set(asKey(key)); // a misplaced key, whatever the answer
    await http.get('/admin/queues/api/queues').set(asKey(key)).expect(401);
    await http.delete(`/api/admin/api-keys/${created.id}`).set('Authorization', session).expect(204);
    // Three refusals from one address with LOGIN_RATE_LIMIT=2: revoked, wrong, then throttled.
    await http.get('/api/admin/curriculum/generate/jobs').set(asKey(key)).expect(401);
    await http.get('/api/admin/curriculum/generate/jobs').set(asKey(wrong)).expect(401);
    await http.get('/api/admin/curriculum/generate/jobs').set(asKey(wrong)).expect(429);

    api.kill('SIGTERM');
    await api.waitForExit();
    expect(api.output).toMatch(/Created an API key/);
    expect(api.output).toMatch(/Refused an API key/);
    expect(api.output).toMatch(/Revoked an API key/);
    expect(api.output).toContain('api_key=clk_[redacted]'); // the misplaced key's request line
    expect(api.output).toContain(prefix); // what identifies a key in the log…
    expect(api.output).not.toContain(secret); // …never what opens it,
    expect(api.output).not.toContain(wrong.slice(prefix.length + 1)); // nor what was tried
  });
});
