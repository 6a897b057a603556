import { Redis } from 'ioredis';
import request from 'supertest';
import { loadConfig } from '../../server/src/config/app-config';
import { QUEUES } from '../../server/src/jobs/jobs.constants';
import { createRedisConnection } from '../../server/src/redis/redis-connection';
import { RedisEvictionPolicyError } from '../../server/src/redis/redis-eviction-check';
import { redisKey, redisKeyPrefix } from '../../server/src/redis/redis-keys';
import { publishToAll } from '../../server/src/redis/redis-pubsub';
import { createUser, login, randomIp } from '../support/accounts';
import { finishedSteps, jobLogs, waitAllTerminal } from '../support/fault-checks';
import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { Fleet } from '../support/fleet';
import { GENERATE, queueCourse } from '../support/queue-helpers';
import { PrivateRedisCluster } from '../support/redis-cluster';
import { startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The product on a Redis Cluster (docs/queue.md, "Redis"): three masters on loopback ports, the API in-process and a
 * worker process, both given REDIS_CLUSTER_NODES. Every key is under the hash-tagged prefix, so BullMQ's multi-key
 * scripts (a course job and its steps at once) and our own run in one slot.
 */
describe('on a Redis Cluster (3 masters; the API in-process and a worker process)', () => {
  let cluster: PrivateRedisCluster;
  let fake: FakeLlmServer;
  let fleet: Fleet;

  beforeAll(async () => {
    cluster = await PrivateRedisCluster.start();
    fake = await startFakeLlmServer({ latencyMs: 100 });
    fleet = await Fleet.start(fake, {
      redisUrl: cluster.env.REDIS_URL,
      env: {
        REDIS_CLUSTER_NODES: cluster.nodes,
        LOGIN_RATE_LIMIT: '3',
        ORG_SYNC_MODEL_CALLS_PER_MINUTE: '2',
      },
    });
  });
  afterAll(async () => {
    await fleet?.close();
    await fake?.close();
    await cluster?.stop();
  });
  beforeEach(() => fake.reset());

  it('runs a queued course to completed, and every key of the installation lives in one hash slot', async () => {
    const courses = await fleet.createCourses(2, 3, 'Clustered');
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet.agent, c)));

    const statuses = await waitAllTerminal(fleet, jobs);
    expect(Object.values(statuses)).toEqual(['completed', 'completed']);
    expect(await fleet.shapeProblems(courses)).toEqual([]);

    const prefix = redisKeyPrefix(fleet.app.config);
    const keysPerNode = await cluster.eachNode((node) => node.keys('*'));
    const keys = keysPerNode.flat();
    expect(keys.length).toBeGreaterThan(10); // queues, job hashes, the installation marker, heartbeats…
    expect(keys.filter((k) => !k.startsWith(`${prefix}:`))).toEqual([]);
    expect(keysPerNode.filter((k) => k.length > 0)).toHaveLength(1);

    // Bull Board reads the same queues (an operator's session).
    const operator = await createUser(fleet.app, { operator: true });
    const { cookie } = await login(fleet.app, operator.email, operator.password);
    const board = await request(fleet.app.baseUrl)
      .get(`/admin/queues/api/queues?activeQueue=${QUEUES.steps}&status=completed`)
      .set('Cookie', cookie)
      .expect(200);
    const steps = (board.body.queues as { name: string; counts: Record<string, number> }[]).find(
      (q) => q.name === QUEUES.steps,
    );
    expect(steps?.counts.completed).toBeGreaterThanOrEqual(2 * (3 + 9));
  });

  it('cancels a job a worker process is running: its model calls stop, none starts after the cancel answered', async () => {
    fake.script({ latencyMs: 2000 });
    const [course] = await fleet.createCourses(1, 4, 'Cancelled');
    const jobId = await queueCourse(fleet.agent, course);
    await waitFor(() => fake.requestsMatching({ job: jobId }).length >= 2, { what: 'model calls in flight' });

    await fleet.agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200, { success: true });
    const answeredAt = Date.now();

    // The cancel crossed the cluster's pub/sub to the worker process, which aborted its calls.
    await fleet.workers[0].waitForOutput(
      new RegExp(`Aborted \\d+ running model call\\(s\\) of cancelled job ${jobId}`),
    );
    await waitFor(() => fake.requestsMatching({ job: jobId }).every((r) => r.closedEarly), {
      what: 'the in-flight calls to be aborted',
    });
    expect(fake.requestsMatching({ job: jobId }).filter((r) => r.at > answeredAt)).toEqual([]);
    expect((await fleet.statuses([jobId]))[jobId]).toBe('cancelled');
  });

  it('recovers from a FLUSHALL of every master mid-run: the reconciler re-enqueues, each item is written once', async () => {
    const courses = await fleet.createCourses(3, 3, 'Flushed');
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet.agent, c)));
    await waitFor(async () => (await finishedSteps(fleet.db, courses)).length >= 3, {
      what: 'some steps done',
    });

    await cluster.flushAll();

    const statuses = await waitAllTerminal(fleet, jobs, 60_000);
    expect(Object.values(statuses)).toEqual(['completed', 'completed', 'completed']);
    expect(await fleet.shapeProblems(courses)).toEqual([]);
    const logs = await Promise.all(jobs.map((j) => jobLogs(fleet.db, j)));
    expect(logs.some((l) => l.some((e) => /re-enqueued/.test(e.message)))).toBe(true);
  });

  it('limits login attempts (a two-key script) and an organization’s synchronous model calls', async () => {
    const user = await createUser(fleet.app);
    const ip = randomIp();
    const attempt = (password: string) =>
      request(fleet.app.baseUrl)
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: user.email, password });
    for (let i = 0; i < 3; i++) await attempt('wrong-password').expect(401);
    await attempt(user.password).expect(429);

    // Through the queue's model-call path (QueueEvents on the cluster) and the organization's window.
    const outline = { topic: 'Beekeeping', project_count: 2, proposals: 1 };
    for (let i = 0; i < 2; i++) await fleet.agent.post(`${GENERATE}/outlines`).send(outline).expect(200);
    const refused = await fleet.agent.post(`${GENERATE}/outlines`).send(outline).expect(429);
    expect(refused.body.message).toMatch(/^Your organization may make 2 model calls per minute/);
  });

  it('counts the subscribers of every node when publishing, so a cancel waits for every process', async () => {
    const config = loadConfig({ ...cluster.env, REDIS_PREFIX: fleet.app.config.REDIS_PREFIX });
    const channel = redisKey(config, 'probe');
    // One subscriber on each node: PUBLISH alone would count only those of the node it ran on.
    const subscribers = await Promise.all(
      cluster.ports.map(async (port) => {
        const sub = new Redis({ port, host: '127.0.0.1' });
        await sub.subscribe(channel);
        return sub;
      }),
    );
    const client = createRedisConnection(config, 'client', { lazyConnect: true });
    try {
      await client.connect();
      expect(await publishToAll(client, channel, 'hello')).toBe(3);
    } finally {
      client.disconnect();
      for (const sub of subscribers) sub.disconnect();
    }
  });

  it('checks every master at start-up: one that may evict keys stops the start', async () => {
    const [, port] = cluster.ports;
    await cluster.eachNode(async (node, p) =>
      p === port ? node.config('SET', 'maxmemory-policy', 'allkeys-lru') : 'OK',
    );
    try {
      await expect(startTestApp({ env: cluster.env })).rejects.toThrow(RedisEvictionPolicyError);
    } finally {
      await cluster.eachNode((node) => node.config('SET', 'maxmemory-policy', 'noeviction'));
    }
  });
});
