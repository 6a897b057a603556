import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import type {
  WebhookDeliveryListResponse,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookSecretResponse,
} from '../../contracts/api';
import { WebhookSecrets } from '../../server/src/webhooks/webhook-secrets';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { ReceivedWebhook, startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

const HOOKS = '/api/admin/webhooks';
const COURSES = '/api/admin/curriculum/courses';

/** Quick retries, a short timeout and a low failure run, so every path runs in seconds. */
const WEBHOOK_ENV = {
  START_WORKER: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_ATTEMPTS: '3',
  WEBHOOK_BACKOFF_MS: '50',
  WEBHOOK_TIMEOUT_MS: '700',
  WEBHOOK_MAX_FAILURES: '2',
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
};

describe('webhooks: signed deliveries of job and course events (real PostgreSQL, Redis, BullMQ; a local receiver)', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let owner: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await startTestApp({ env: WEBHOOK_ENV });
    ({ user: owner, agent } = await signIn(app, { role: 'owner' }));
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  const register = async (
    path: string,
    events: string[] = ['course.published', 'course.unpublished'],
    as: AuthedAgent = agent,
  ): Promise<WebhookSecretResponse> =>
    (
      await as
        .post(HOOKS)
        .send({ url: receiver.url(path), events, description: path })
        .expect(201)
    ).body as WebhookSecretResponse;
  const publishedCourse = async (user: TestUser = owner): Promise<string> =>
    createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), { status: 'ready' });
  const publish = (courseId: string, as: AuthedAgent = agent) =>
    as.post(`${COURSES}/${courseId}/publish`).expect(200);
  const at = (path: string): ReceivedWebhook[] => receiver.requests.filter((r) => r.path === path);
  const deliveries = async (endpointId: string): Promise<WebhookDeliveryView[]> =>
    ((await agent.get(`${HOOKS}/${endpointId}/deliveries`).expect(200)).body as WebhookDeliveryListResponse)
      .deliveries;
  const deliveryWhere = (endpointId: string, ok: (d: WebhookDeliveryView) => boolean, what: string) =>
    waitFor(async () => (await deliveries(endpointId)).find(ok), { what, timeoutMs: 20_000 });
  const verify = (secret: string, r: ReceivedWebhook) => new Webhook(secret).verify(r.body, r.headers);

  describe('registering an endpoint', () => {
    it('shows the whsec_ signing secret once and never again', async () => {
      const created = await register('/once');
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      const listed = (await agent.get(HOOKS).expect(200)).body.endpoints as WebhookEndpointView[];
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      expect(listed.find((e) => e.id === created.endpoint.id)).toMatchObject({
        enabled: true,
        url: receiver.url('/once'),
      });
    });

    it('stores the secret encrypted, not as it was shown', async () => {
      const created = await register('/at-rest');
      const [row] = await app.app
        .get(DataSource)
        .query(`SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1`, [created.endpoint.id]);
      expect(row.secret_encrypted).not.toContain(created.secret.slice(6));
      expect(app.app.get(WebhookSecrets).open(row.secret_encrypted)).toBe(created.secret);
    });

    it('answers 400 naming the problem for an unknown event or a URL that is not http(s)', async () => {
      const bad = await agent
        .post(HOOKS)
        .send({ url: receiver.url(), events: ['job.exploded'] })
        .expect(400);
      expect(JSON.stringify(bad.body.message)).toMatch(/each event must be one of/);
      const ftp = await agent
        .post(HOOKS)
        .send({ url: 'ftp://example.com/x', events: ['job.queued'] })
        .expect(400);
      expect(JSON.stringify(ftp.body.message)).toMatch(/url must be an http/);
      await agent.post(HOOKS).send({ url: receiver.url(), events: [] }).expect(400);
    });

    it('is for owners only: an admin gets 403', async () => {
      const { agent: admin } = await signIn(app, {
        role: 'admin',
        organizationName: owner.organization_name,
      });
      await admin.get(HOOKS).expect(403);
      await admin
        .post(HOOKS)
        .send({ url: receiver.url(), events: ['job.queued'] })
        .expect(403);
    });
  });

  describe('a course published and unpublished', () => {
    it('delivers course.published and course.unpublished, each signed so that Webhook.verify accepts it', async () => {
      const { secret } = await register('/courses');
      const courseId = await publishedCourse();
      await publish(courseId);
      await agent.post(`${COURSES}/${courseId}/unpublish`).expect(200);
      await waitFor(() => at('/courses').length >= 2, { what: 'two course events' });
      // Deliveries run in parallel, so the two may arrive in either order (docs/webhooks.md, "Events").
      const bodies = at('/courses').map(
        (r) => verify(secret, r) as { type: string; data: Record<string, unknown> },
      );
      const first = bodies.find((b) => b.type === 'course.published');
      const second = bodies.find((b) => b.type === 'course.unpublished');
      expect(first).toMatchObject({
        type: 'course.published',
        data: { course_id: courseId, status: 'published' },
      });
      expect(second).toMatchObject({
        type: 'course.unpublished',
        data: { course_id: courseId, previous_status: 'published' },
      });
      expect(at('/courses')[0].headers['webhook-id']).toMatch(/^msg_/);
      expect(() =>
        new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
          at('/courses')[0].body,
          at('/courses')[0].headers,
        ),
      ).toThrow();
    });
  });

  describe('a generation job', () => {
    it('delivers job.queued, job.started and job.completed with the job summary, and course.published with auto-publish', async () => {
      const { secret } = await register('/jobs', [
        'job.queued',
        'job.started',
        'job.completed',
        'course.published',
      ]);
      const courseId = await createCourse(app, owner, courseSpec({ projects: 1, lessons: 0 }), {
        status: 'draft',
      });
      const jobId = await queueCourse(agent, courseId, true);
      await waitForJob(agent, jobId, 'completed');
      await waitFor(() => at('/jobs').length >= 4, { what: 'four job events' });
      const bodies = at('/jobs').map(
        (r) => verify(secret, r) as { type: string; data: Record<string, unknown> },
      );
      // Deliveries run in parallel: receivers get no order guarantee (docs/webhooks.md), only each event once.
      expect(bodies.map((b) => b.type).sort()).toEqual([
        'course.published',
        'job.completed',
        'job.queued',
        'job.started',
      ]);
      expect(bodies.find((b) => b.type === 'job.completed')!.data).toMatchObject({
        job_id: jobId,
        course_id: courseId,
        status: 'completed',
        job_type: 'course_generation',
      });
    });
  });

  describe('when the receiver fails', () => {
    it('retries after a 500 with the same webhook-id and records the attempts', async () => {
      const { endpoint } = await register('/flaky');
      receiver.script('/flaky', { status: 500 });
      await publish(await publishedCourse());
      const done = await deliveryWhere(
        endpoint.id,
        (d) => d.status === 'succeeded',
        'a delivery after a 500',
      );
      expect(done).toMatchObject({ attempts: 2, response_status: 200 });
      expect(at('/flaky').map((r) => r.answered)).toEqual([500, 200]);
      expect(new Set(at('/flaky').map((r) => r.headers['webhook-id'])).size).toBe(1);
    });

    it('retries after a timeout', async () => {
      const { endpoint } = await register('/slow');
      receiver.script('/slow', { hold: true });
      await publish(await publishedCourse());
      const done = await deliveryWhere(
        endpoint.id,
        (d) => d.status === 'succeeded',
        'a delivery after a timeout',
      );
      expect(done.attempts).toBe(2);
      expect(at('/slow')[0].closedBeforeAnswer).toBe(true);
    });

    it('treats a redirect as a failure and does not follow it', async () => {
      const { endpoint } = await register('/moved');
      receiver.script('/moved', { status: 302, headers: { location: receiver.url('/elsewhere') } });
      await publish(await publishedCourse());
      await deliveryWhere(endpoint.id, (d) => d.status === 'succeeded', 'a delivery after a redirect');
      expect(at('/elsewhere')).toHaveLength(0);
    });

    it('disables the endpoint after WEBHOOK_MAX_FAILURES deliveries in a row failed every attempt', async () => {
      const { endpoint } = await register('/down');
      receiver.script('/down', ...Array.from({ length: 6 }, () => ({ status: 503 })));
      await publish(await publishedCourse());
      await deliveryWhere(endpoint.id, (d) => d.status === 'failed', 'a first failed delivery');
      await publish(await publishedCourse());
      const disabled = await waitFor(
        async () => {
          const e = (await agent.get(`${HOOKS}/${endpoint.id}`).expect(200)).body as WebhookEndpointView;
          return e.enabled ? undefined : e;
        },
        { what: 'the endpoint disabled' },
      );
      expect(disabled.disabled_reason).toMatch(/after 2 deliveries in a row failed/);
      expect(at('/down')).toHaveLength(6);
      // Re-enabled: the run starts again.
      const enabled = (await agent.patch(`${HOOKS}/${endpoint.id}`).send({ enabled: true }).expect(200)).body;
      expect(enabled).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_reason: null });
    });
  });

  describe('Redeliver', () => {
    it('sends a finished delivery again with the same webhook-id and body', async () => {
      const { endpoint, secret } = await register('/again');
      await publish(await publishedCourse());
      const first = await deliveryWhere(endpoint.id, (d) => d.status === 'succeeded', 'the first delivery');
      const res = await agent.post(`${HOOKS}/${endpoint.id}/deliveries/${first.id}/redeliver`).expect(202);
      expect(res.body.status).toBe('pending');
      await waitFor(() => at('/again').length === 2, { what: 'the redelivery' });
      const [a, b] = at('/again');
      expect(b.headers['webhook-id']).toBe(a.headers['webhook-id']);
      expect(verify(secret, b)).toEqual(verify(secret, a));
      await deliveryWhere(
        endpoint.id,
        (d) => d.id === first.id && d.attempts === 2 && d.status === 'succeeded',
        'attempt 2',
      );
    });
  });

  describe('a delivery whose queue entry Redis lost', () => {
    it('is queued again by the dispatcher’s sweep and delivered once, signed', async () => {
      const { endpoint: first } = await register('/swept-first');
      await publish(await publishedCourse());
      await deliveryWhere(first.id, (d) => d.status === 'succeeded', 'the first endpoint’s delivery');
      // A second endpoint, and a pending delivery row for it with no queue entry — as after a Redis flush.
      const { endpoint, secret } = await register('/swept');
      const db = app.app.get(DataSource);
      const [{ event_id }] = await db.query(
        `SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1`,
        [first.id],
      );
      await db.query(
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, organization_id, created_at)
         VALUES ($1, $2, $3, now() - interval '1 hour')`,
        [event_id, endpoint.id, owner.organization_id],
      );
      await deliveryWhere(endpoint.id, (d) => d.status === 'succeeded', 'the swept delivery');
      expect(at('/swept')).toHaveLength(1);
      expect(verify(secret, at('/swept')[0])).toMatchObject({ type: 'course.published' });
    });
  });

  describe('rotating the secret', () => {
    it('signs later deliveries with the new secret only', async () => {
      const { endpoint, secret: old } = await register('/rotated');
      const rotated = (await agent.post(`${HOOKS}/${endpoint.id}/rotate-secret`).expect(200))
        .body as WebhookSecretResponse;
      expect(rotated.secret).not.toBe(old);
      await publish(await publishedCourse());
      await waitFor(() => at('/rotated').length === 1, { what: 'a delivery' });
      expect(() => verify(rotated.secret, at('/rotated')[0])).not.toThrow();
      expect(() => verify(old, at('/rotated')[0])).toThrow();
    });
  });

  describe("another organization's endpoint", () => {
    it('answers 404 to every route', async () => {
      const { endpoint } = await register('/mine');
      const { agent: other } = await signIn(app, { role: 'owner' });
      const missing = '00000000-0000-4000-8000-000000000000';
      await other.get(`${HOOKS}/${endpoint.id}`).expect(404);
      await other.patch(`${HOOKS}/${endpoint.id}`).send({ enabled: false }).expect(404);
      await other.post(`${HOOKS}/${endpoint.id}/rotate-secret`).expect(404);
      await other.get(`${HOOKS}/${endpoint.id}/deliveries`).expect(404);
      await other.post(`${HOOKS}/${endpoint.id}/deliveries/${missing}/redeliver`).expect(404);
      await other.delete(`${HOOKS}/${endpoint.id}`).expect(404);
      expect(((await other.get(HOOKS).expect(200)).body.endpoints as unknown[]).length).toBe(0);
      await agent.get(`${HOOKS}/${endpoint.id}`).expect(200);
    });

    it('never receives this organization’s events', async () => {
      const { agent: other, user } = await signIn(app, { role: 'owner' });
      await register('/theirs', ['course.published'], other);
      const mine = await register('/ours', ['course.published']);
      await publish(await publishedCourse());
      await deliveryWhere(mine.endpoint.id, (d) => d.status === 'succeeded', 'our delivery');
      await publish(await publishedCourse(user), other);
      await waitFor(() => at('/theirs').length === 1, { what: 'their own event' });
      expect(at('/theirs')).toHaveLength(1);
    });
  });

  describe('deleting an endpoint', () => {
    it('removes it and its delivery log', async () => {
      const { endpoint } = await register('/gone');
      await agent.delete(`${HOOKS}/${endpoint.id}`).expect(204);
      await agent.get(`${HOOKS}/${endpoint.id}`).expect(404);
    });
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE (the default)', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let agent: AuthedAgent;
  let owner: TestUser;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await startTestApp({
      env: { ...WEBHOOK_ENV, WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_ATTEMPTS: '1' },
    });
    ({ user: owner, agent } = await signIn(app, { role: 'owner' }));
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('refuses a loopback or private URL at registration (400)', async () => {
    for (const url of [
      receiver.url(),
      'http://localhost/x',
      'http://10.0.0.8/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
    ]) {
      const res = await agent
        .post(HOOKS)
        .send({ url, events: ['course.published'] })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/private, loopback or link-local/);
    }
  });

  it('refuses to deliver to an endpoint whose address is private (registered before, or DNS changed since)', async () => {
    const db = app.app.get(DataSource);
    const [{ id }] = await db.query(
      `INSERT INTO webhook_endpoints (organization_id, url, events, secret_encrypted)
       VALUES ($1, $2, '{course.published}', $3) RETURNING id`,
      [
        owner.organization_id,
        receiver.url('/private'),
        app.app.get(WebhookSecrets).seal('whsec_' + 'A'.repeat(44)),
      ],
    );
    const courseId = await createCourse(app, owner, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'ready',
    });
    await agent.post(`${COURSES}/${courseId}/publish`).expect(200);
    const failed = await waitFor(
      async () =>
        (
          (await agent.get(`${HOOKS}/${id}/deliveries`).expect(200)).body as WebhookDeliveryListResponse
        ).deliveries.find((d) => d.status === 'failed'),
      { what: 'the refused delivery' },
    );
    expect(failed.last_error).toMatch(/private, loopback or link-local/);
    expect(failed.response_status).toBeNull();
    expect(receiver.requests).toHaveLength(0);
  });
});
