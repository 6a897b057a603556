import { ConfigError, loadConfig } from './app-config';

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

  it('requires a model and base URL for a real provider', () => {
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible' })).toThrow(/LLM_MODEL is required/);
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible', LLM_MODEL: 'm' })).toThrow(
      /LLM_BASE_URL is required/,
    );
  });
});
