import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvFileError, envFilePath, loadEnvFile } from './env-file';

describe('the .env file', () => {
  let dir: string;
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'courseloom-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('which file', () => {
    it('is .env in the working directory when it exists', () => {
      const path = write('.env', 'PORT=4000\n');
      expect(envFilePath({}, dir)).toBe(path);
    });

    it('is none when the working directory has no .env', () => {
      expect(envFilePath({}, dir)).toBeUndefined();
      expect(loadEnvFile({}, dir)).toBeUndefined();
    });

    it('is ENV_FILE when set, relative to the working directory', () => {
      write('.env', 'PORT=4000\n');
      const path = write('production.env', 'PORT=5000\n');
      expect(envFilePath({ ENV_FILE: 'production.env' }, dir)).toBe(path);
    });

    it('skips the default .env under NODE_ENV=test, so a developer file never reaches the tests', () => {
      write('.env', 'PORT=4000\n');
      expect(envFilePath({ NODE_ENV: 'test' }, dir)).toBeUndefined();
    });

    it('still loads an explicit ENV_FILE under NODE_ENV=test', () => {
      const path = write('test.env', 'PORT=5000\n');
      expect(envFilePath({ NODE_ENV: 'test', ENV_FILE: path }, dir)).toBe(path);
    });
  });

  describe('loading', () => {
    it('sets the variables the environment lacks and counts them', () => {
      write(
        '.env',
        '# comment\nPORT=4000\nexport HOST=0.0.0.0\nLLM_MODEL="gpt 4o"\n\nLOG_LEVEL=debug # trailing\n',
      );
      const env: NodeJS.ProcessEnv = {};
      expect(loadEnvFile(env, dir)).toEqual({ path: join(dir, '.env'), set: 4, kept: 0 });
      expect(env).toEqual({ PORT: '4000', HOST: '0.0.0.0', LLM_MODEL: 'gpt 4o', LOG_LEVEL: 'debug' });
    });

    it('lets the real environment win, even where it holds an empty string', () => {
      write('.env', 'PORT=4000\nCORS_ORIGINS=https://a.example\nLOG_LEVEL=debug\n');
      const env: NodeJS.ProcessEnv = { PORT: '3000', CORS_ORIGINS: '' };
      expect(loadEnvFile(env, dir)).toMatchObject({ set: 1, kept: 2 });
      expect(env).toEqual({ PORT: '3000', CORS_ORIGINS: '', LOG_LEVEL: 'debug' });
    });

    it('refuses an ENV_FILE that does not exist, naming it', () => {
      expect(() => loadEnvFile({ ENV_FILE: 'missing.env' }, dir)).toThrow(EnvFileError);
      expect(() => loadEnvFile({ ENV_FILE: 'missing.env' }, dir)).toThrow(
        `ENV_FILE=missing.env: cannot read the .env file ${join(dir, 'missing.env')}: no such file`,
      );
    });

    it('refuses a .env that is a directory', () => {
      mkdirSync(join(dir, '.env'));
      expect(() => loadEnvFile({}, dir)).toThrow(/cannot read the \.env file .*: it is a directory/);
    });
  });
});
