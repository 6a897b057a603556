import { freePort } from '../support/redis-server';
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import request, { Response } from 'supertest';
import type { JobDetailResponse, LoginResponse } from '../../contracts/api';
import { createUser, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { OpenApiDocument, OpenApiResponses } from '../support/openapi-responses';
import { API_ENTRY, ProductProcess } from '../support/processes';
import { startTestApp, TestApp, uniqueRedisPrefix } from '../support/test-app';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** `METHOD /path/{param}` of every route under /api the live Express router holds (what Nest registered). */
function liveApiRoutes(app: TestApp): string[] {
  const express = app.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all');
    return ([] as string[])
      .concat(layer.route.path)
      .filter((path) => path.startsWith('/api/'))
      .flatMap((path) => methods.map((m) => `${m.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`));
  });
}

/** The document's own routes (Swagger UI and the JSON) are not part of the API it describes. */
const DOCUMENT_ROUTES = /^GET \/api\/(openapi\.json|docs)/;

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * The document is served by the built API process (`nest build` runs the swagger CLI plugin, and the contract
 * schemas are generated in the build); the in-process app on the same database gives the live router and the
 * test data.
 */
describe('the OpenAPI document (GET /api/openapi.json)', () => {
  let app: TestApp;
  let api: ProductProcess;
  let baseUrl: string;
  let document: OpenApiDocument;
  let responses: OpenApiResponses;

  beforeAll(async () => {
    app = await startTestApp();
    const port = await freePort();
    api = new ProductProcess(API_ENTRY, {
      DATABASE_URL: app.databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      START_WORKER: 'true',
      SAMPLE_LATENCY_MS: '0',
      LOGIN_RATE_LIMIT: '2',
      PORT: String(port),
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await api.waitForOutput(/Courseloom API on/, 30_000);
    const res = await request(baseUrl).get('/api/openapi.json').expect(200);
    document = res.body as OpenApiDocument;
    responses = new OpenApiResponses(document);
  });
  afterAll(async () => {
    api?.kill('SIGTERM');
    await api?.waitForExit().catch(() => undefined);
    await app?.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(
      document as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route under /api of the live router, and no route the router does not have', () => {
    const live = liveApiRoutes(app).filter((route) => !DOCUMENT_ROUTES.test(route));
    expect(live.length).toBeGreaterThan(30);
    const documented = documentedRoutes(document);
    expect(live.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !live.includes(route))).toEqual([]);
  });

  it('gives every operation a success response, its errors, and its security', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const route = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses);
        if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${route}: no 2xx response`);
        for (const status of statuses.filter((s) => /^2\d\d$/.test(s) && s !== '204'))
          if (!Object.values(op.responses[status].content ?? {}).some((media) => media.schema))
            problems.push(`${route}: ${status} has no schema (@ApiReturns)`);
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        if (!isPublic && !statuses.includes('401')) problems.push(`${route}: no 401`);
        if (!isPublic && op.security?.length !== 3) problems.push(`${route}: not every security scheme`);
        if (path.includes('{') && !statuses.includes('404')) problems.push(`${route}: no 404`);
        if ((op.parameters?.length || op.requestBody) && !statuses.includes('400'))
          problems.push(`${route}: no 400`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(document.components.securitySchemes ?? {}).sort()).toEqual([
      'api_key',
      'bearer_session',
      'session_cookie',
    ]);
  });

  it('names the statuses and kinds as enums', () => {
    const schemas = document.components.schemas as Record<string, { enum?: string[] }>;
    expect(schemas.JobStatus.enum).toEqual(expect.arrayContaining(['pending', 'completed', 'paused']));
    expect(schemas.CourseStatus.enum).toEqual(['draft', 'generating', 'ready', 'published', 'archived']);
    expect(schemas.TaskKind.enum).toEqual(['exercise', 'quiz', 'reflection', 'project']);
  });

  it('serves Swagger UI at /api/docs, whose scripts are same-origin under the app’s CSP', async () => {
    const res = await request(baseUrl).get('/api/docs').expect(200);
    expect(res.text).toContain('swagger-ui-init.js');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    await request(baseUrl).get('/api/docs/swagger-ui-init.js').expect(200);
  });

  describe('when real responses of the main routes are checked against it', () => {
    let user: TestUser;
    let token: string;
    const api_ = (): request.Agent => request.agent(baseUrl).set('Authorization', `Bearer ${token}`);
    const check = (method: string, path: string, res: Response): void =>
      responses.check(method, path, { status: res.status, body: res.body, headers: res.headers });

    beforeAll(async () => {
      user = await createUser(app, { role: 'admin' });
      const login = await request(baseUrl)
        .post('/api/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      check('post', '/api/auth/login', login);
      token = (login.body as LoginResponse).access_token;
    });

    it('matches the auth, course, job, step and usage bodies', async () => {
      check('get', '/api/auth/me', await api_().get('/api/auth/me').expect(200));
      const courseId = await createCourse(app, user, courseSpec({ projects: 2, lessons: 0, tasks: 0 }));
      check(
        'get',
        '/api/admin/curriculum/courses',
        await api_().get('/api/admin/curriculum/courses').expect(200),
      );

      const queued = await api_()
        .post(`/api/admin/curriculum/generate/${courseId}/queue`)
        .send({ auto_publish: false })
        .expect(201);
      check('post', '/api/admin/curriculum/generate/{courseId}/queue', queued);
      const jobId = (queued.body as { job_id: string }).job_id;
      const detailPath = `/api/admin/curriculum/generate/jobs/${jobId}`;
      const done = await waitFor(
        async () => {
          const res = await api_().get(detailPath);
          return (res.body as JobDetailResponse).job?.status === 'completed' ? res : undefined;
        },
        { timeoutMs: 30_000, what: 'the job to complete' },
      );
      check('get', '/api/admin/curriculum/generate/jobs/{jobId}', done);
      check(
        'get',
        '/api/admin/curriculum/generate/jobs',
        await api_().get('/api/admin/curriculum/generate/jobs?scope=organization').expect(200),
      );
      check(
        'get',
        '/api/admin/curriculum/generate/jobs/{jobId}/steps',
        await api_().get(`${detailPath}/steps`).expect(200),
      );
      check(
        'get',
        '/api/admin/curriculum/courses/{id}',
        await api_().get(`/api/admin/curriculum/courses/${courseId}`).expect(200),
      );
      check('get', '/api/admin/usage', await api_().get('/api/admin/usage').expect(200));
      check('get', '/api/admin/settings', await api_().get('/api/admin/settings').expect(200));
      check(
        'get',
        '/api/admin/curriculum/generate/provider',
        await api_().get('/api/admin/curriculum/generate/provider').expect(200),
      );
    });

    it('matches the error bodies: 400 with its message list, 401, 403, 404, 409, 413 and 429', async () => {
      const invalid = await api_().get('/api/admin/curriculum/generate/jobs?status=nope&page=0').expect(400);
      expect(Array.isArray((invalid.body as { message: unknown }).message)).toBe(true);
      check('get', '/api/admin/curriculum/generate/jobs', invalid);

      check(
        'get',
        '/api/admin/curriculum/courses',
        await request(baseUrl).get('/api/admin/curriculum/courses').expect(401),
      );
      check('put', '/api/admin/settings', await api_().put('/api/admin/settings').send({}).expect(403));
      check(
        'get',
        '/api/admin/curriculum/courses/{id}',
        await api_().get(`/api/admin/curriculum/courses/${randomUUID()}`).expect(404),
      );

      const incomplete = await createCourse(app, user, courseSpec({ projects: 1, lessons: 0 }));
      check(
        'post',
        '/api/admin/curriculum/courses/{id}/publish',
        await api_().post(`/api/admin/curriculum/courses/${incomplete}/publish`).expect(409),
      );

      const huge = { topic: 'x'.repeat(1_100_000) };
      check(
        'post',
        '/api/admin/curriculum/generate/outlines',
        await api_().post('/api/admin/curriculum/generate/outlines').send(huge).expect(413),
      );

      const wrong = { email: `nobody-${randomUUID()}@example.test`, password: 'not the password' };
      // LOGIN_RATE_LIMIT=2 per IP (the suite's own login counts): 401s, then the 429 with Retry-After.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4 && !statuses.includes(429); attempt++) {
        const res = await request(baseUrl).post('/api/auth/login').send(wrong);
        check('post', '/api/auth/login', res);
        statuses.push(res.status);
      }
      expect(statuses).toContain(429);
    });
  });
});
