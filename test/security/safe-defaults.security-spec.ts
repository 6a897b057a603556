import { freePort } from '../support/redis-server';
import request from 'supertest';
import { loadConfig } from '../../server/src/config/app-config';
import {
  DEV_ADMIN_EMAIL,
  DEV_ADMIN_PASSWORD,
  DEVELOPMENT_AUTH_SECRET,
} from '../../server/src/config/published-defaults';
import { createUser, login } from '../support/accounts';
import { API_ENTRY, ProductProcess } from '../support/processes';
import { startTestApp, uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testRedisUrl } from '../support/test-env';

const SECRET = 'a-production-secret-of-at-least-32-chars';

/** docs/accounts-and-curriculum.md#safe-defaults */
describe('safe defaults', () => {
  describe('when NODE_ENV is unset', () => {
    it('a non-loopback HOST gets production rules; loopback keeps development rules', () => {
      expect(loadConfig({ HOST: '0.0.0.0', AUTH_SECRET: SECRET }).isProduction).toBe(true);
      expect(loadConfig({ HOST: '::', AUTH_SECRET: SECRET }).NODE_ENV).toBe('production');
      expect(loadConfig({}).NODE_ENV).toBe('development');
    });

    it('the session cookie is Secure under the production rules of a non-loopback HOST', async () => {
      // NODE_ENV '' counts as unset; the test server itself still listens on loopback.
      const app = await startTestApp({ env: { NODE_ENV: '', HOST: '0.0.0.0', AUTH_SECRET: SECRET } });
      try {
        expect(app.config.NODE_ENV).toBe('production');
        const user = await createUser(app);
        const { setCookie } = await login(app, user.email, user.password);
        expect(setCookie).toMatch(/; Secure/);
      } finally {
        await app.close();
      }
    });
  });

  describe('on a non-loopback bind', () => {
    it.each([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }])(
      'refuses the published development secret (%o), naming AUTH_SECRET',
      (env) => {
        expect(() => loadConfig({ ...env, HOST: '0.0.0.0' })).toThrow(/AUTH_SECRET is required/);
        expect(() => loadConfig({ ...env, HOST: '0.0.0.0', AUTH_SECRET: DEVELOPMENT_AUTH_SECRET })).toThrow(
          /AUTH_SECRET must not be the published development secret/,
        );
      },
    );

    it('refuses the published owner password, naming ADMIN_PASSWORD', () => {
      expect(() =>
        loadConfig({
          NODE_ENV: 'development',
          HOST: '0.0.0.0',
          AUTH_SECRET: SECRET,
          ADMIN_PASSWORD: DEV_ADMIN_PASSWORD,
        }),
      ).toThrow(/ADMIN_PASSWORD must not be the published default "courseloom-admin"/);
    });
  });

  describe('the real API process', () => {
    const databases: string[] = [];
    const running: ProductProcess[] = [];
    const freshDatabase = async (): Promise<string> => {
      const url = await createSuiteDatabase();
      databases.push(url);
      return url;
    };
    /** `NODE_ENV: ''` leaves it unset (ProductProcess defaults to test). */
    const startApi = async (
      env: Record<string, string>,
    ): Promise<{ api: ProductProcess; baseUrl: string }> => {
      const port = await freePort();
      const api = new ProductProcess(API_ENTRY, {
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: uniqueRedisPrefix(),
        START_WORKER: 'false',
        PORT: String(port),
        ...env,
      });
      running.push(api);
      return { api, baseUrl: `http://127.0.0.1:${port}` };
    };
    const stop = async (api: ProductProcess): Promise<void> => {
      api.kill('SIGTERM');
      await api.waitForExit();
    };
    const signIn = (baseUrl: string, password: string) =>
      request(baseUrl).post('/api/auth/login').send({ email: DEV_ADMIN_EMAIL, password });

    afterAll(async () => {
      for (const p of running) p.kill();
      await Promise.all(running.map((p) => p.waitForExit().catch(() => undefined)));
      for (const url of databases) await dropSuiteDatabase(url);
    });

    it('without NODE_ENV on HOST=0.0.0.0 and no AUTH_SECRET, start-up fails naming AUTH_SECRET', async () => {
      const { api } = await startApi({ DATABASE_URL: await freshDatabase(), NODE_ENV: '', HOST: '0.0.0.0' });
      expect((await api.waitForExit()).code).toBe(1);
      expect(api.output).toMatch(
        /AUTH_SECRET is required when NODE_ENV=production \(NODE_ENV is unset and HOST=0\.0\.0\.0 is not loopback\)/,
      );
    });

    it('the first development start prints a random owner password once; it signs in, the published one does not', async () => {
      const databaseUrl = await freshDatabase();
      const env = { DATABASE_URL: databaseUrl, NODE_ENV: '', LOG_LEVEL: 'info' };
      const { api, baseUrl } = await startApi(env);
      await api.waitForOutput(/Courseloom API on/);
      expect(api.output).toMatch(/development rules/);
      const printed = api.output.match(
        /created the owner admin@courseloom\.local with the random password (\S+)/g,
      );
      expect(printed).toHaveLength(1);
      const password = /with the random password (\S+)/.exec(printed![0])![1];
      expect(password.length).toBeGreaterThanOrEqual(20);

      const ok = await signIn(baseUrl, password).expect(200);
      expect(ok.body.user).toMatchObject({ email: DEV_ADMIN_EMAIL, role: 'owner' });
      await signIn(baseUrl, DEV_ADMIN_PASSWORD).expect(401);
      await stop(api);

      const again = await startApi(env);
      await again.api.waitForOutput(/Courseloom API on/);
      expect(again.api.output).not.toContain(password);
      expect(again.api.output).not.toMatch(/random password/);
      await signIn(again.baseUrl, password).expect(200);
    });

    it('under production rules, refuses to start while admin@courseloom.local still signs in with the published password; ADMIN_PASSWORD replaces it', async () => {
      const databaseUrl = await freshDatabase();
      // An installation first started by an earlier release: the published password, allowed on loopback.
      const old = await startApi({
        DATABASE_URL: databaseUrl,
        NODE_ENV: 'development',
        ADMIN_PASSWORD: DEV_ADMIN_PASSWORD,
      });
      await old.api.waitForOutput(/Courseloom API on/);
      await signIn(old.baseUrl, DEV_ADMIN_PASSWORD).expect(200);
      await stop(old.api);

      const refused = await startApi({
        DATABASE_URL: databaseUrl,
        NODE_ENV: 'production',
        AUTH_SECRET: SECRET,
      });
      expect((await refused.api.waitForExit()).code).toBe(1);
      expect(refused.api.output).toMatch(
        /Refusing to start: the owner admin@courseloom\.local still signs in with the published default password \\?"courseloom-admin\\?" and NODE_ENV=production.*Set ADMIN_PASSWORD/, // JSON log line
      );
      expect(refused.api.output).not.toMatch(/Courseloom API on/);

      const fixed = await startApi({
        DATABASE_URL: databaseUrl,
        NODE_ENV: 'production',
        AUTH_SECRET: SECRET,
        ADMIN_PASSWORD: 'a-new-owner-password',
      });
      await fixed.api.waitForOutput(/Courseloom API on/);
      expect(fixed.api.output).toMatch(/Replaced the published default password of admin@courseloom\.local/);
      expect(fixed.api.output).not.toContain('a-new-owner-password');
      await signIn(fixed.baseUrl, DEV_ADMIN_PASSWORD).expect(401);
      await signIn(fixed.baseUrl, 'a-new-owner-password').expect(200);
    });
  });
});
