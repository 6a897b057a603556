import { authSecret } from '../accounts/auth/session-token.service';
import { ConfigError, loadConfig } from './app-config';
import { DEV_ADMIN_PASSWORD, DEVELOPMENT_AUTH_SECRET } from './published-defaults';

const SECRET = 'a-secret-of-at-least-32-characters-0123';

describe('loadConfig', () => {
  it('has defaults that reach the local PostgreSQL and Redis with the offline model', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/courseloom');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.LLM_PROVIDER).toBe('sample');
    expect(config.START_WORKER).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', START_WORKER: 'false', SAMPLE_FAILURE_RATE: '0.25' });
    expect(config.PORT).toBe(8080);
    expect(config.START_WORKER).toBe(false);
    expect(config.SAMPLE_FAILURE_RATE).toBe(0.25);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['START_WORKER', 'maybe'],
    ['LLM_PROVIDER', 'gpt'],
    ['SAMPLE_FAILURE_RATE', '2'],
    ['BODY_LIMIT', 'lots'],
    ['HOST', 'not a host'],
    ['TRUST_PROXY', 'true'],
  ])('a malformed %s (%s) is refused with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', REDIS_URL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n')).toMatch(/PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*PORT/);
    }
  });

  it('requires AUTH_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).isProduction).toBe(true);
  });

  describe('when NODE_ENV is unset (safe by default)', () => {
    it('listens on loopback with development rules', () => {
      const config = loadConfig({});
      expect(config.HOST).toBe('127.0.0.1');
      expect(config.NODE_ENV).toBe('development');
      expect(config.refusesPublishedDefaults).toBe(false);
    });

    it.each(['0.0.0.0', '::', '192.168.1.20', 'courseloom.example.com'])(
      'applies production rules on a non-loopback HOST (%s)',
      (host) => {
        const config = loadConfig({ HOST: host, AUTH_SECRET: SECRET });
        expect(config.NODE_ENV).toBe('production');
        expect(config.isProduction).toBe(true);
      },
    );

    it.each(['127.0.0.1', '127.0.1.1', '::1', 'localhost'])('keeps development rules on %s', (host) => {
      expect(loadConfig({ HOST: host }).NODE_ENV).toBe('development');
    });

    it('refuses the published development secret on a non-loopback HOST, naming the variable and why', () => {
      expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
        /AUTH_SECRET is required when NODE_ENV=production \(NODE_ENV is unset and HOST=0\.0\.0\.0 is not loopback\)/,
      );
      expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_SECRET: DEVELOPMENT_AUTH_SECRET })).toThrow(
        /AUTH_SECRET must not be the published development secret/,
      );
    });
  });

  describe('when the server is exposed (production rules or a non-loopback HOST)', () => {
    it.each([
      { NODE_ENV: 'development', HOST: '0.0.0.0' },
      { NODE_ENV: 'test', HOST: '10.0.0.5' },
      { NODE_ENV: 'production', HOST: '127.0.0.1' },
    ])('refuses the development secret and the default owner password (%o)', (env) => {
      expect(() => loadConfig(env)).toThrow(/AUTH_SECRET is required/);
      expect(() => loadConfig({ ...env, AUTH_SECRET: SECRET, ADMIN_PASSWORD: DEV_ADMIN_PASSWORD })).toThrow(
        /ADMIN_PASSWORD must not be the published default "courseloom-admin"/,
      );
      expect(loadConfig({ ...env, AUTH_SECRET: SECRET, ADMIN_PASSWORD: 'my-own-password' }).NODE_ENV).toBe(
        env.NODE_ENV,
      );
    });

    it('allows both on loopback outside production (local development and the e2e server)', () => {
      expect(
        loadConfig({ NODE_ENV: 'test', ADMIN_PASSWORD: DEV_ADMIN_PASSWORD }).refusesPublishedDefaults,
      ).toBe(false);
      expect(loadConfig({ ADMIN_PASSWORD: DEV_ADMIN_PASSWORD }).AUTH_SECRET).toBeUndefined();
    });

    it('session tokens fall back to the published secret only on a loopback development server', () => {
      expect(authSecret(loadConfig({}))).toBe(DEVELOPMENT_AUTH_SECRET);
      expect(authSecret(loadConfig({ AUTH_SECRET: SECRET }))).toBe(SECRET);
    });
  });

  describe('TRUST_PROXY', () => {
    it('defaults to loopback (a proxy on this machine)', () => {
      expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    });

    it.each([
      ['1', 1],
      ['2', 2],
      ['0', 0],
      ['false', false],
      ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
      ['192.168.0.7,fd00::/8,uniquelocal', ['192.168.0.7', 'fd00::/8', 'uniquelocal']],
    ])('accepts %s', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1', 'loopback,', '1.2.3.4/8/9', '-1'])(
      'refuses %s with a message naming TRUST_PROXY',
      (value) => {
        expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
      },
    );
  });

  it('requires a model and base URL for a real provider', () => {
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible' })).toThrow(/LLM_MODEL is required/);
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible', LLM_MODEL: 'm' })).toThrow(
      /LLM_BASE_URL is required/,
    );
  });
});
