import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

interface Route {
  method: string;
  path: string;
  /** A layer answering every HTTP method (Nest adds one for a path excluded from the global prefix). */
  catchAll: boolean;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route the live Express router holds (what Nest registered), with its methods. */
function liveRoutes(app: TestApp): Route[] {
  const express = app.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const paths = ([] as string[]).concat(layer.route.path);
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all');
    const catchAll = methods.length > 20;
    return paths.flatMap((path) =>
      methods.map((method) => ({ method: method.toUpperCase(), path, catchAll })),
    );
  });
}

/** Routes anyone may call. Adding one here is a decision: it must be reviewed like any other public endpoint. */
const PUBLIC = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /health',
  // Probes for orchestrators (fixed reasons only, no data) and metrics (open unless METRICS_TOKEN is set): README,
  // "Metrics and health".
  'GET /health/live',
  'GET /health/ready',
  'GET /health/{*path}', // any other path under /health: 404, like /health's own catch-all
  'GET /metrics',
  // The API's description, never data: docs/openapi.md.
  'GET /api/openapi.json',
]);

/** Swagger UI's own pages and assets (the interactive reference of the same description: docs/openapi.md). */
const API_REFERENCE = /^\/api\/docs(\/|$)/;

describe('every API route refuses anonymous callers (generated from the router)', () => {
  let app: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    app = await startTestApp();
    routes = liveRoutes(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds the routes, including the known admin ones', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/admin/curriculum/courses',
        'GET /api/admin/curriculum/courses/:id',
        'PATCH /api/admin/curriculum/courses/:id',
        'DELETE /api/admin/curriculum/courses/:id',
        'POST /api/admin/curriculum/courses/:id/publish',
        'POST /api/admin/curriculum/courses/:id/unpublish',
        'PATCH /api/admin/curriculum/projects/:id',
        'PATCH /api/admin/curriculum/lessons/:id',
        'PATCH /api/admin/curriculum/tasks/:id',
        'POST /api/admin/curriculum/upload',
        'GET /api/admin/users',
        'POST /api/admin/users',
        'GET /api/auth/me',
        ...PUBLIC,
      ]),
    );
    expect(routes.filter((r) => r.path.startsWith('/api/admin/')).length).toBeGreaterThanOrEqual(12);
  });

  it('each non-public route → 401 without credentials, and with a bogus token', async () => {
    const publicPaths = new Set([...PUBLIC].map((name) => name.split(' ')[1]));
    const guarded = routes.filter(
      (r) =>
        !PUBLIC.has(`${r.method} ${r.path}`) &&
        !(r.catchAll && publicPaths.has(r.path)) &&
        !API_REFERENCE.test(r.path),
    );
    expect(guarded.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const { method, path } of guarded) {
      const url = path.replace(/:\w+/g, () => randomUUID());
      for (const auth of [undefined, 'Bearer not-a-token']) {
        let req = request(app.baseUrl)[method.toLowerCase() as 'get'](url);
        if (auth) req = req.set('Authorization', auth);
        const res = await req.send({});
        if (res.status !== 401 || res.body.statusCode !== 401) {
          failures.push(`${method} ${path} (${auth ?? 'anonymous'}) → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('every entry of the public allow-list is a live route (no stale exceptions)', () => {
    const all = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const name of PUBLIC) expect(all.has(name)).toBe(true);
  });
});
