import { JwtService } from '@nestjs/jwt';
import { Redis } from 'ioredis';
import request from 'supertest';
import { SESSION_COOKIE_NAME } from '../../server/src/accounts/auth/session-cookie';
import { DEVELOPMENT_AUTH_SECRET } from '../../server/src/accounts/auth/session-token.service';
import { authedAgent, bearer, createUser, login, randomIp } from '../support/accounts';
import { countRows } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

const SECRET = 'integration-test-secret-0123456789abcdef';

describe('sign-in, sessions and roles (real PostgreSQL, Redis and HTTP)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_SECRET: SECRET, AUTH_TOKEN_TTL_SECONDS: '3600' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('no user is made at start-up under NODE_ENV=test without ADMIN_EMAIL', async () => {
    expect((await countRows(app)).users).toBe(0);
  });

  it('login → 200 {access_token, expires_at, user} and an httpOnly SameSite=Lax cookie with the same token', async () => {
    const user = await createUser(app, {
      role: 'owner',
      organizationName: 'Acme',
      email: 'Ada@Example.test',
    });
    const before = Date.now();
    const session = await login(app, 'ada@example.TEST', user.password);
    expect(session.body).toEqual({
      access_token: expect.any(String),
      expires_at: expect.any(String),
      user: {
        id: user.id,
        email: 'ada@example.test',
        role: 'owner',
        is_operator: false,
        organization: { id: user.organization_id, name: 'Acme' },
        created_at: expect.any(String),
      },
    });
    const expiresIn = Date.parse(session.body.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(3590_000);
    expect(expiresIn).toBeLessThan(3610_000);
    expect(session.cookie).toBe(`${SESSION_COOKIE_NAME}=${session.token}`);
    expect(session.setCookie).toMatch(/; HttpOnly/);
    expect(session.setCookie).toMatch(/; SameSite=Lax/);
    expect(session.setCookie).toMatch(/; Path=\//);
    expect(session.setCookie).toMatch(/; Max-Age=3600/);
    expect(session.setCookie).not.toMatch(/; Secure/); // only under NODE_ENV=production
    expect(JSON.stringify(session.body)).not.toContain(user.password);
    expect(JSON.stringify(session.body)).not.toMatch(/\$2[aby]\$/);
  });

  it('GET /api/auth/me works with the cookie and with the bearer token; refuses none or garbage with 401', async () => {
    const user = await createUser(app);
    const { token, cookie } = await login(app, user.email, user.password);
    const byCookie = await request(app.baseUrl).get('/api/auth/me').set('Cookie', cookie).expect(200);
    const byBearer = await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(200);
    expect(byCookie.body).toEqual(byBearer.body);
    expect(byCookie.body).toMatchObject({ id: user.id, email: user.email, role: 'admin' });
    expect(JSON.stringify(byCookie.body)).not.toMatch(/password|\$2[aby]\$/);

    const anonymous = await request(app.baseUrl).get('/api/auth/me').expect(401);
    expect(anonymous.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Authentication required',
    });
    await request(app.baseUrl).get('/api/auth/me').set(bearer('not-a-jwt')).expect(401);
    await request(app.baseUrl)
      .get('/api/auth/me')
      .set('Cookie', `${SESSION_COOKIE_NAME}=garbage`)
      .expect(401);
    // A tampered payload breaks the signature.
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: user.id, jti: 'x', exp: 9999999999 })).toString('base64url')}.${s}`;
    await request(app.baseUrl).get('/api/auth/me').set(bearer(forged)).expect(401);
  });

  it('an expired token, or one signed with another secret (e.g. the development one), → 401', async () => {
    const user = await createUser(app);
    const now = Math.floor(Date.now() / 1000);
    const ours = new JwtService({ secret: SECRET });
    const valid = ours.sign({ jti: 'a', sub: user.id, exp: now + 60 });
    await request(app.baseUrl).get('/api/auth/me').set(bearer(valid)).expect(200);
    const expired = ours.sign({ jti: 'b', sub: user.id, exp: now - 1 });
    const res = await request(app.baseUrl).get('/api/auth/me').set(bearer(expired)).expect(401);
    expect(res.body.message).toMatch(/expired or is invalid/);
    const foreign = new JwtService({ secret: DEVELOPMENT_AUTH_SECRET }).sign({
      jti: 'c',
      sub: user.id,
      exp: now + 60,
    });
    await request(app.baseUrl).get('/api/auth/me').set(bearer(foreign)).expect(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ jti: 'd', sub: user.id, exp: now + 60 }),
    ).toString('base64url')}.`;
    await request(app.baseUrl).get('/api/auth/me').set(bearer(none)).expect(401);
  });

  it('a deleted user’s token stops working at once', async () => {
    const user = await createUser(app);
    const { token } = await login(app, user.email, user.password);
    await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(200);
    await app.app.get(JwtService).verifyAsync(token); // still a valid signature…
    const { DataSource } = await import('typeorm');
    await app.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [user.id]);
    await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(401); // …but no user behind it
  });

  it('wrong password and unknown email → the same 401 message; nothing about the account leaks', async () => {
    const user = await createUser(app);
    const wrong = await request(app.baseUrl)
      .post('/api/auth/login')
      .set('X-Forwarded-For', randomIp())
      .send({ email: user.email, password: 'not-the-password' })
      .expect(401);
    const unknown = await request(app.baseUrl)
      .post('/api/auth/login')
      .set('X-Forwarded-For', randomIp())
      .send({ email: 'nobody@example.test', password: 'not-the-password' })
      .expect(401);
    expect(wrong.body.message).toBe('Invalid email or password');
    expect(unknown.body.message).toBe('Invalid email or password');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('login validates its body: missing or extra fields → 400', async () => {
    const ip = randomIp();
    const post = (body: object) =>
      request(app.baseUrl).post('/api/auth/login').set('X-Forwarded-For', ip).send(body);
    expect((await post({ email: 'a@b.c' }).expect(400)).body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/password/)]),
    );
    expect((await post({ email: 'a@b.c', password: 'x', remember: true }).expect(400)).body.message).toEqual([
      'property remember should not exist',
    ]);
  });

  it('logout clears the cookie and revokes the token, for cookie and bearer alike', async () => {
    const user = await createUser(app);
    const { token, cookie } = await login(app, user.email, user.password);
    const res = await request(app.baseUrl)
      .post('/api/auth/logout')
      .set('Cookie', cookie)
      .set('Origin', app.baseUrl) // as a browser does; docs/accounts-and-curriculum.md#cross-site-requests
      .expect(204);
    const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(cleared).toMatch(new RegExp(`${SESSION_COOKIE_NAME}=;.*Expires=Thu, 01 Jan 1970`));
    await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(401);
    // Logging out without a session is harmless.
    await request(app.baseUrl).post('/api/auth/logout').expect(204);
  });

  it('a sign-out recorded before keys were hash-tagged still refuses its token (docs/queue.md, "Upgrading")', async () => {
    const user = await createUser(app);
    const { token } = await login(app, user.email, user.password);
    await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(200);
    const { jti, exp } = new JwtService().decode<{ jti: string; exp: number }>(token);
    const redis = new Redis(app.config.REDIS_URL);
    try {
      // What the previous release wrote on sign-out: `<REDIS_PREFIX>:auth:revoked:<jti>`, unbraced.
      await redis.set(`${app.config.REDIS_PREFIX}:auth:revoked:${jti}`, '1', 'PXAT', exp * 1000);
      await request(app.baseUrl).get('/api/auth/me').set(bearer(token)).expect(401);
    } finally {
      await redis.del(`${app.config.REDIS_PREFIX}:auth:revoked:${jti}`);
      redis.disconnect();
    }
  });

  it('owners manage users; admins get 403; neither sees password hashes; new users can sign in', async () => {
    const owner = await createUser(app, { role: 'owner', organizationName: 'Umbrella' });
    const admin = await createUser(app, { role: 'admin', organizationName: 'Umbrella' });
    const ownerAgent = authedAgent(app, (await login(app, owner.email, owner.password)).token);
    const adminAgent = authedAgent(app, (await login(app, admin.email, admin.password)).token);

    const forbidden = await adminAgent.get('/api/admin/users').expect(403);
    expect(forbidden.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      message: 'This action needs the owner role',
    });
    const before = await countRows(app);
    await adminAgent
      .post('/api/admin/users')
      .send({ email: 'x@example.test', password: 'long-enough', role: 'admin' })
      .expect(403);
    expect(await countRows(app)).toEqual(before);

    const created = await ownerAgent
      .post('/api/admin/users')
      .send({ email: 'New@Example.test', password: 'a-new-password', role: 'admin' })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'new@example.test',
      role: 'admin',
      organization: { name: 'Umbrella' },
    });
    await ownerAgent
      .post('/api/admin/users')
      .send({ email: 'NEW@example.test', password: 'another-one', role: 'admin' })
      .expect(409);
    await ownerAgent
      .post('/api/admin/users')
      .send({ email: 'short@example.test', password: 'short', role: 'admin' })
      .expect(400);
    await ownerAgent
      .post('/api/admin/users')
      .send({ email: 'r@example.test', password: 'long-enough', role: 'root' })
      .expect(400);

    const list = await ownerAgent.get('/api/admin/users').expect(200);
    expect(list.body.users.map((u: { email: string }) => u.email).sort()).toEqual(
      [owner.email, admin.email, 'new@example.test'].sort(),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/password|\$2[aby]\$/);
    await login(app, 'new@example.test', 'a-new-password');
  });
});

describe('login rate limit (per IP and per email)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '30' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const attempt = (email: string, password: string, ip: string) =>
    request(app.baseUrl).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('per IP: the 4th attempt in the window → 429 with Retry-After, even with the right password', async () => {
    const user = await createUser(app);
    const ip = randomIp();
    for (let i = 0; i < 3; i++) await attempt(`other-${i}@example.test`, 'wrong-password', ip).expect(401);
    const res = await attempt(user.email, user.password, ip).expect(429);
    expect(res.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Too many login attempts; try again in \d+ s$/),
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(res.body.message).toBe(`Too many login attempts; try again in ${retryAfter} s`);
    // Another client is not affected.
    await attempt(user.email, user.password, randomIp()).expect(200);
  });

  it('per email: attempts from many IPs against one account are limited too (case-insensitively)', async () => {
    const user = await createUser(app);
    await attempt(user.email, 'wrong-password', randomIp()).expect(401);
    await attempt(user.email.toUpperCase(), 'wrong-password', randomIp()).expect(401);
    await attempt(user.email, 'wrong-password', randomIp()).expect(401);
    await attempt(user.email, user.password, randomIp()).expect(429);
  });
});

describe('first-start owner from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: { ADMIN_EMAIL: 'Boss@Example.test', ADMIN_PASSWORD: 'boss-password-1' },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates the organization "Courseloom" and its owner, who can sign in', async () => {
    const session = await login(app, 'boss@example.test', 'boss-password-1');
    expect(session.body.user).toMatchObject({
      email: 'boss@example.test',
      role: 'owner',
      organization: { name: 'Courseloom' },
    });
    expect(await countRows(app)).toMatchObject({ organizations: 1, users: 1 });
  });
});
