import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testDatabaseUrl, testRedisUrl } from '../support/test-env';
import { TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait-for';

describe('health, errors and the admin UI (real PostgreSQL and Redis)', () => {
  let app: TestApp;
  const uiDir = mkdtempSync(join(tmpdir(), 'courseloom-ui-'));

  beforeAll(async () => {
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Courseloom</title><cl-root></cl-root>');
    writeFileSync(join(uiDir, 'main.js'), 'console.log(1)');
    app = await startTestApp({ env: { ADMIN_UI_DIR: uiDir, BODY_LIMIT: '1kb' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /health → 200 with both dependencies up and a request id', async () => {
    const res = await request(app.baseUrl).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a valid incoming x-request-id', async () => {
    const res = await request(app.baseUrl).get('/health').set('x-request-id', 'trace-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['JSON and spaces that would forge log fields', '","job_id":"x'],
    ['a tab', 'trace\t1'],
  ])(
    'replaces an incoming x-request-id that is %s with its own (it reaches every log line)',
    async (_what, hostile) => {
      const res = await request(app.baseUrl).get('/health').set('x-request-id', hostile).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('unknown /api paths are JSON 404s, not the admin app', async () => {
    const res = await request(app.baseUrl).get('/api/does-not-exist').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('serves the admin app under /admin, with deep links falling back to index.html', async () => {
    await request(app.baseUrl).get('/admin').expect(301).expect('location', '/admin/');
    for (const path of ['/admin/', '/admin/course-generation-queue', '/admin/courses/123']) {
      const res = await request(app.baseUrl).get(path).expect(200);
      expect(res.text).toContain('<cl-root>');
    }
    await request(app.baseUrl)
      .get('/admin/main.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(app.baseUrl).get('/admin/missing-file.js').expect(404);
  });

  it('sends security headers', async () => {
    const res = await request(app.baseUrl).get('/admin/').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('a JSON body over BODY_LIMIT → 413 in the standard error shape', async () => {
    const res = await request(app.baseUrl)
      .post('/api/anything')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(4096) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('CORS is closed by default: no cross-origin grant, preflight or not', async () => {
    const simple = await request(app.baseUrl)
      .get('/health')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app.baseUrl)
      .options('/api/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('malformed JSON → 400', async () => {
    const res = await request(app.baseUrl)
      .post('/api/anything')
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });
});

describe('CORS with configured origins', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { CORS_ORIGINS: 'https://admin.example.com, https://ops.example.com' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('grants exactly the listed origins', async () => {
    const allowed = await request(app.baseUrl)
      .options('/api/auth/login')
      .set('Origin', 'https://ops.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await request(app.baseUrl).get('/health').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('health when a dependency goes down', () => {
  const redisTarget = new URL(testRedisUrl());
  const pgTarget = new URL(testDatabaseUrl());
  const redisProxy = new TcpProxy(redisTarget.hostname, Number(redisTarget.port || 6379));
  const pgProxy = new TcpProxy(pgTarget.hostname, Number(pgTarget.port || 5432));
  let app: TestApp;
  let databaseUrl: string;

  beforeAll(async () => {
    await redisProxy.start();
    await pgProxy.start();
    databaseUrl = await createSuiteDatabase();
    app = await startTestApp({
      databaseUrl: pgProxy.rewrite(databaseUrl),
      env: { REDIS_URL: redisProxy.rewrite(testRedisUrl()) },
    });
  });
  afterAll(async () => {
    await app?.close();
    await redisProxy.stop();
    await pgProxy.stop();
    await dropSuiteDatabase(databaseUrl);
  });

  it('Redis down → 503 naming Redis with a fixed reason, never the raw error; back up → 200', async () => {
    await request(app.baseUrl).get('/health').expect(200);
    await redisProxy.stop();
    const res = await request(app.baseUrl).get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      message: 'Unavailable: redis is down',
      checks: { postgres: { status: 'up' } },
    });
    expect(res.body.checks.redis).toEqual({ status: 'down', reason: expect.stringMatching(REASON) });
    expectNoRawErrorText(res.text, redisProxy.port);
    await redisProxy.start();
    await waitForStatus(app.baseUrl, 200);
  });

  it('PostgreSQL down → 503 naming PostgreSQL with a fixed reason, never the raw error; back up → 200', async () => {
    await pgProxy.stop();
    const res = await request(app.baseUrl).get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      message: 'Unavailable: postgres is down',
      checks: { redis: { status: 'up' } },
    });
    expect(res.body.checks.postgres).toEqual({ status: 'down', reason: expect.stringMatching(REASON) });
    expectNoRawErrorText(res.text, pgProxy.port);
    await pgProxy.start();
    await waitForStatus(app.baseUrl, 200);
  });
});

const REASON = /^(unreachable|timeout|error)$/;

/** The public body names no address, port, error code or driver message. */
function expectNoRawErrorText(body: string, port: number | undefined): void {
  expect(body).not.toMatch(/127\.0\.0\.1|localhost|ECONN|connect|terminated|closed|writeable|stream|error:/i);
  if (port) expect(body).not.toContain(String(port));
}

async function waitForStatus(baseUrl: string, status: number): Promise<void> {
  await waitFor(async () => (await request(baseUrl).get('/health')).status === status, {
    what: `/health ${status}`,
    timeoutMs: 10_000,
  });
}
