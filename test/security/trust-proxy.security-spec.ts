import request from 'supertest';
import { createUser, login, TestUser } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * TRUST_PROXY decides whose X-Forwarded-* headers count: the client IP of the login rate limit, and the
 * scheme/host the cross-site check compares Origin with. docs/accounts-and-curriculum.md#sessions
 */
describe('TRUST_PROXY', () => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>): Promise<TestApp> => {
    const app = await startTestApp({ env: { LOGIN_RATE_LIMIT: '2', ...env } });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  /** Three bad logins from client A (its own email), then one from client B (another email): B's status. */
  const secondClientAfterFirstIsLimited = async (app: TestApp): Promise<number> => {
    const a = `a-${Date.now()}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(app.baseUrl)
        .post('/api/auth/login')
        .set('X-Forwarded-For', '203.0.113.10')
        .send({ email: a, password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const b = await request(app.baseUrl)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.20')
      .send({ email: `b-${Date.now()}@example.test`, password: 'wrong-password' });
    return b.status;
  };

  describe('when it is 1 (one reverse proxy in front)', () => {
    it('gives two X-Forwarded-For clients separate login rate-limit buckets', async () => {
      const app = await start({ TRUST_PROXY: '1' });
      expect(await secondClientAfterFirstIsLimited(app)).toBe(401);
    });
  });

  describe('when it is the default (loopback)', () => {
    it('honours X-Forwarded-For from a loopback peer as before', async () => {
      const app = await start({});
      expect(app.config.TRUST_PROXY).toBe('loopback');
      expect(await secondClientAfterFirstIsLimited(app)).toBe(401);
    });
  });

  describe('when the peer is not trusted', () => {
    it.each([['false'], ['10.0.0.0/8']])(
      'TRUST_PROXY=%s ignores X-Forwarded-For: every client shares the peer address',
      async (value) => {
        const app = await start({ TRUST_PROXY: value });
        expect(await secondClientAfterFirstIsLimited(app)).toBe(429);
      },
    );
  });

  describe('the cross-site check behind a TLS-terminating proxy', () => {
    const publicOrigin = 'https://courseloom.example.com';
    let user: TestUser;

    const cookieLogoutViaProxy = async (app: TestApp): Promise<number> => {
      user = await createUser(app);
      const { cookie } = await login(app, user.email, user.password);
      const res = await request(app.baseUrl)
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Origin', publicOrigin)
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'courseloom.example.com');
      return res.status;
    };

    it("compares Origin with the proxy's scheme and host when the proxy is trusted", async () => {
      expect(await cookieLogoutViaProxy(await start({}))).toBe(204);
    });

    it('ignores forwarded scheme and host from an untrusted peer', async () => {
      expect(await cookieLogoutViaProxy(await start({ TRUST_PROXY: 'false' }))).toBe(403);
    });
  });
});
