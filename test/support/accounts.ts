import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { LoginResponse, UserRole } from '../../contracts/api';
import { SESSION_COOKIE_NAME } from '../../server/src/accounts/auth/session-cookie';
import { bcryptCost } from '../../server/src/accounts/password-hasher';
import { createUserAccount } from '../../server/src/accounts/user-accounts';
import type { TestApp } from './test-app';

export const DEFAULT_TEST_PASSWORD = 'correct-horse-battery';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: UserRole;
  is_operator: boolean;
  organization_id: string;
  organization_name: string;
}

export interface CreateUserOptions {
  role?: UserRole;
  /** Found or created by name. Default: a new organization of its own, so tests never share tenants by accident. */
  organizationName?: string;
  email?: string;
  password?: string;
  /** An operator of the installation (Bull Board). Default: false, like every user but the first-start owner. */
  operator?: boolean;
}

const unique = (): string => randomBytes(4).toString('hex');

/** A user made through the real account code (real bcrypt hash), straight in the suite's database. */
export async function createUser(app: TestApp, options: CreateUserOptions = {}): Promise<TestUser> {
  const password = options.password ?? DEFAULT_TEST_PASSWORD;
  const row = await app.app.get(DataSource).transaction((manager) =>
    createUserAccount(
      manager,
      {
        email: options.email ?? `user-${unique()}@example.test`,
        password,
        role: options.role ?? 'admin',
        organizationName: options.organizationName ?? `Org ${unique()}`,
        operator: options.operator ?? false,
      },
      bcryptCost(app.config),
    ),
  );
  return {
    id: row.id,
    email: row.email,
    password,
    role: row.role,
    is_operator: row.is_operator,
    organization_id: row.organization_id,
    organization_name: row.organization_name,
  };
}

/** A random client address; the API trusts X-Forwarded-For from loopback, so each login counts as its own IP. */
export const randomIp = (): string =>
  `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

export interface Session {
  token: string;
  /** `courseloom_session=<token>`, ready for a `Cookie` header. */
  cookie: string;
  /** The raw Set-Cookie header of the login. */
  setCookie: string;
  body: LoginResponse;
}

/**
 * Signs in through POST /api/auth/login (the real endpoint). By default from a random X-Forwarded-For address, so
 * a suite that signs in often is not throttled by the per-IP rate limit; pass `ip` to test that limit.
 */
export async function login(
  app: Pick<TestApp, 'baseUrl'>,
  email: string,
  password: string,
  options: { ip?: string } = {},
): Promise<Session> {
  const res = await request(app.baseUrl)
    .post('/api/auth/login')
    .set('X-Forwarded-For', options.ip ?? randomIp())
    .send({ email, password });
  if (res.status !== 200)
    throw new Error(`login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  const setCookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
  if (!setCookie) throw new Error('login set no session cookie');
  return { token: res.body.access_token, cookie: setCookie.split(';')[0], setCookie, body: res.body };
}

export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });

/**
 * The `Origin` a browser sends with the app's own requests. Cookie-authenticated writes need it (or
 * `Sec-Fetch-Site: same-origin`); supertest sends neither by itself. docs/accounts-and-curriculum.md#cross-site-requests
 */
export const sameOrigin = (app: Pick<TestApp, 'baseUrl'>): { Origin: string } => ({ Origin: app.baseUrl });

/** supertest bound to the app signed in by the session cookie, sending the app's own `Origin` like a browser. */
export function cookieAgent(app: TestApp, cookie: string) {
  const withCookie = (test: request.Test): request.Test => test.set('Cookie', cookie).set(sameOrigin(app));
  const http = request(app.baseUrl);
  return {
    get: (path: string) => withCookie(http.get(path)),
    post: (path: string) => withCookie(http.post(path)),
    patch: (path: string) => withCookie(http.patch(path)),
    put: (path: string) => withCookie(http.put(path)),
    delete: (path: string) => withCookie(http.delete(path)),
  };
}

/** supertest bound to the app with a bearer token on every request. */
export function authedAgent(app: Pick<TestApp, 'baseUrl'>, token: string) {
  const withAuth = (test: request.Test): request.Test => test.set('Authorization', `Bearer ${token}`);
  const http = request(app.baseUrl);
  return {
    get: (path: string) => withAuth(http.get(path)),
    post: (path: string) => withAuth(http.post(path)),
    patch: (path: string) => withAuth(http.patch(path)),
    put: (path: string) => withAuth(http.put(path)),
    delete: (path: string) => withAuth(http.delete(path)),
  };
}
export type AuthedAgent = ReturnType<typeof authedAgent>;

/** A new user (own organization unless named) signed in: the user, its session and an agent. */
export async function signIn(
  app: TestApp,
  options: CreateUserOptions = {},
): Promise<{ user: TestUser; session: Session; agent: AuthedAgent }> {
  const user = await createUser(app, options);
  const session = await login(app, user.email, user.password);
  return { user, session, agent: authedAgent(app, session.token) };
}
