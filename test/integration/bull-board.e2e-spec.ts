import request from 'supertest';
import { QUEUES } from '../../server/src/jobs/jobs.constants';
import { login, signIn } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

/** Who may open Bull Board, route by route, is walked in test/security/bull-board.security-spec.ts. */
describe('Bull Board at /admin/queues (operators of the installation only)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { START_WORKER: 'true', SAMPLE_LATENCY_MS: '0' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends a signed-out browser to the sign-in page and back', async () => {
    const res = await request(app.baseUrl).get('/admin/queues').set('Accept', 'text/html').expect(302);
    expect(res.headers.location).toBe('/admin/login?returnUrl=%2Fadmin%2Fqueues');
  });

  it('answers 401 to signed-out API calls and to a forged cookie', async () => {
    await request(app.baseUrl).get('/admin/queues/api/queues').set('Accept', 'application/json').expect(401);
    await request(app.baseUrl)
      .get('/admin/queues/api/queues')
      .set('Accept', 'application/json')
      .set('Cookie', 'courseloom_session=not.a.token')
      .expect(401);
  });

  it('answers 403 to a signed-in admin who is not an operator', async () => {
    const { session } = await signIn(app, { role: 'admin' });
    await request(app.baseUrl)
      .get('/admin/queues/api/queues')
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json')
      .expect(403);
  });

  it('shows every queue, with the jobs a course generation made, to a signed-in operator (cookie)', async () => {
    const { user, agent } = await signIn(app, { operator: true });
    const session = await login(app, user.email, user.password);
    const courseId = await createCourse(app, user, {
      ...courseSpec({ projects: 1, lessons: 0 }),
      topic: 'queues',
    });
    const jobId = await queueCourse(agent, courseId);
    await waitForJob(agent, jobId, 'completed');

    const page = await request(app.baseUrl).get('/admin/queues').set('Cookie', session.cookie).expect(200);
    expect(page.text).toContain('__UI_CONFIG__');
    const api = await request(app.baseUrl)
      .get(`/admin/queues/api/queues?activeQueue=${QUEUES.steps}&status=completed`)
      .set('Cookie', session.cookie)
      .expect(200);
    const queues = api.body.queues as {
      name: string;
      counts: Record<string, number>;
      jobs: { id: string }[];
    }[];
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
    const steps = queues.find((q) => q.name === QUEUES.steps)!;
    expect(steps.counts.completed).toBeGreaterThanOrEqual(2); // 1 lessons step + 3 tasks steps
    expect(steps.jobs.some((j) => j.id.startsWith(jobId))).toBe(true);
  });
});
