import { Webhook } from 'standardwebhooks';
import type { WebhookDeliveryListResponse, WebhookSecretResponse } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { Fleet } from '../support/fleet';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

const HOOKS = '/api/admin/webhooks';
const COURSES = '/api/admin/curriculum/courses';

describe('faults: webhook deliveries across a worker killed mid-delivery (real worker processes, a local receiver)', () => {
  let fake: FakeLlmServer;
  let receiver: WebhookReceiver;
  let fleet: Fleet;
  let owner: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    receiver = await startWebhookReceiver();
    fleet = await Fleet.start(fake, {
      workers: 1,
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_DISPATCH_INTERVAL_MS: '100',
        WEBHOOK_BACKOFF_MS: '50',
        // Long enough that the held request is cut by the kill, never by the deadline.
        WEBHOOK_TIMEOUT_MS: '60000',
      },
    });
    ({ user: owner, agent } = await signIn(fleet.app, { role: 'owner' }));
  });
  afterAll(async () => {
    await fleet?.close();
    await receiver?.close();
    await fake?.close();
  });

  it('SIGKILL while the receiver holds the request: the same message (same webhook-id) is sent again and acknowledged once', async () => {
    const { endpoint, secret } = (
      await agent
        .post(HOOKS)
        .send({ url: receiver.url('/crash'), events: ['course.published', 'course.unpublished'] })
        .expect(201)
    ).body as WebhookSecretResponse;
    receiver.script('/crash', { hold: true });
    const courseId = await createCourse(fleet.app, owner, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'ready',
    });
    await agent.post(`${COURSES}/${courseId}/publish`).expect(200);
    await waitFor(() => receiver.held() === 1, { what: 'the delivery held open by the receiver' });

    fleet.workers[0].kill('SIGKILL');
    await fleet.workers[0].waitForExit();
    const requests = receiver.requests.filter((r) => r.path === '/crash');
    await waitFor(() => requests[0]?.closedBeforeAnswer, {
      what: 'the held connection to close with the worker',
    });

    // Another worker takes the entry once the dead worker's lock lapses (QUEUE_LOCK_MS).
    await fleet.addWorker();
    const delivery = await waitFor(
      async () =>
        (
          (await agent.get(`${HOOKS}/${endpoint.id}/deliveries`).expect(200))
            .body as WebhookDeliveryListResponse
        ).deliveries.find((d) => d.status === 'succeeded'),
      { what: 'the delivery acknowledged', timeoutMs: 30_000 },
    );
    expect(delivery.attempts).toBe(2);

    // A later event delivered to the same endpoint shows the queue went past the first one: nothing more comes of it.
    await agent.post(`${COURSES}/${courseId}/unpublish`).expect(200);
    await waitFor(() => receiver.requests.filter((r) => r.path === '/crash').length === 3, {
      what: 'the unpublished event',
    });
    const all = receiver.requests.filter((r) => r.path === '/crash');
    const bodies = all.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string });
    expect(bodies.map((b) => b.type)).toEqual(['course.published', 'course.published', 'course.unpublished']);
    const published = all.slice(0, 2);
    expect(published.map((r) => r.headers['webhook-id'])).toEqual([delivery.webhook_id, delivery.webhook_id]);
    // Exactly one answer reached the product: the first connection died before it was answered.
    expect(published.map((r) => r.answered)).toEqual([null, 200]);
  });
});
