import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The `.env` file, loaded before the config is read (README, "Deployment"). The real environment always wins: a
 * variable already set, even to an empty string, is left alone, so a deployment's environment overrides the file.
 *
 * Which file: `ENV_FILE` when set (it must exist), else `.env` in the working directory when it exists. With
 * NODE_ENV=test in the environment the default `.env` is skipped, so a developer's file never changes what the
 * tests see (the test processes set NODE_ENV=test); an explicit ENV_FILE is still loaded.
 *
 * Reads the file with Node's own .env parser (`util.parseEnv`, the one behind `process.loadEnvFile` and
 * `--env-file`) and sets only the missing keys itself: the same on Node 20, 22 and 24, and it can count them.
 */
export interface EnvFileLoad {
  /** The file read, as resolved (a path, never a value). */
  path: string;
  /** Variables the file set. */
  set: number;
  /** Variables of the file the environment already had (the environment's value kept). */
  kept: number;
}

export class EnvFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvFileError';
  }
}

/** The file to load, or undefined when there is none to load. */
export function envFilePath(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const explicit = env.ENV_FILE?.trim();
  if (explicit) return resolve(cwd, explicit);
  if (env.NODE_ENV === 'test') return undefined;
  const path = resolve(cwd, '.env');
  return statSync(path, { throwIfNoEntry: false }) ? path : undefined;
}

/** Loads the `.env` file into `env`, filling only the variables `env` lacks. Throws EnvFileError when unreadable. */
export function loadEnvFile(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): EnvFileLoad | undefined {
  const path = envFilePath(env, cwd);
  if (path === undefined) return undefined;
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(err));
    const named = env.ENV_FILE?.trim() ? `ENV_FILE=${env.ENV_FILE.trim()}: ` : '';
    throw new EnvFileError(`${named}cannot read the .env file ${path}: ${reason}`, { cause: err });
  }
  const result: EnvFileLoad = { path, set: 0, kept: 0 };
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (value === undefined) continue;
    if (env[name] !== undefined) {
      result.kept++;
    } else {
      env[name] = value;
      result.set++;
    }
  }
  return result;
}

let loaded: EnvFileLoad | undefined;

/** loadEnvFile into process.env for a process's start-up (startup.ts); on a bad ENV_FILE, says so and exits. */
export function loadEnvFileOrExit(): void {
  try {
    loaded = loadEnvFile();
  } catch (err) {
    if (!(err instanceof EnvFileError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** One info line once the logger exists: which file, how many variables it set — never a value. */
export function logEnvFileLoad(logger: { info(obj: object, msg: string): void }): void {
  if (!loaded) return;
  logger.info(
    { env_file: loaded.path, variables_set: loaded.set, variables_kept: loaded.kept },
    `Loaded ${loaded.path}: ${loaded.set} variables set, ${loaded.kept} already in the environment (the environment wins)`,
  );
}
