import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { parseLlmPrices } from '../pricing/llm-prices';
import { redisConfigProblems } from '../redis/redis-config';
import { isLoopbackHost, parseTrustProxy } from './network';
import { DEV_ADMIN_PASSWORD, DEVELOPMENT_AUTH_SECRET } from './published-defaults';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so @IsBoolean names the variable
};
const toNum = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LLM_PROVIDERS = ['sample', 'openai-compatible', 'anthropic'] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

/**
 * Every environment variable the product reads, validated once at start-up.
 * `.env.example` and the README's configuration table document each one.
 */
export class AppConfig {
  // --- process ---
  /** Unset: `development` when HOST is loopback, else `production` (safe by default; see loadConfig). */
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toNum)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface the API listens on: loopback by default; `0.0.0.0` (or `::`) listens on every interface. */
  @Matches(/^[A-Za-z0-9.:[\]-]{1,253}$/, {
    message: 'HOST must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0',
  })
  HOST = '127.0.0.1';

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty` in development by default, JSON lines elsewhere. */
  @IsOptional()
  @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json' = undefined;

  // --- PostgreSQL ---
  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like postgres://user[:password]@host[:port]/database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/courseloom';

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  // --- Redis ---
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://[:password@]host[:port][/db]' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key (BullMQ queues, locks, rate limits): lets several deployments share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'REDIS_PREFIX may hold letters, digits, _ and - only' })
  REDIS_PREFIX = 'courseloom';

  /** PEM file of the CA (or the self-signed certificate) of a `rediss://` Redis; read at start-up (docs/queue.md). */
  @IsOptional()
  @IsString()
  REDIS_TLS_CA?: string = undefined;

  /** Accept any certificate from a `rediss://` Redis (development only: refused under production rules). */
  @Transform(toBool)
  @IsBoolean()
  REDIS_TLS_INSECURE = false;

  /** Redis Cluster: `host:port,…` of some of its nodes; REDIS_URL then gives only the scheme and credentials. */
  @IsOptional()
  @IsString()
  REDIS_CLUSTER_NODES?: string = undefined;

  /** Redis Sentinel: `host:port,…` of the sentinels; REDIS_URL then gives only the scheme, credentials and db. */
  @IsOptional()
  @IsString()
  REDIS_SENTINELS?: string = undefined;

  /** The master's name the sentinels monitor (required with REDIS_SENTINELS). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'REDIS_SENTINEL_NAME may hold letters, digits, ., _ and - only',
  })
  REDIS_SENTINEL_NAME?: string = undefined;

  // --- HTTP ---
  /** Directory of the built admin UI, served under /admin. */
  @IsString()
  ADMIN_UI_DIR = 'dist/admin-ui/browser';

  /** Largest JSON body accepted; bigger bodies get 413. */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must be a size like 1mb or 512kb' })
  BODY_LIMIT = '1mb';

  /** Comma-separated origins allowed by CORS; empty keeps CORS closed. */
  @IsString()
  CORS_ORIGINS = '';

  /** Which peers may set X-Forwarded-For/-Proto/-Host: a hop count, or addresses/CIDRs/loopback (parseTrustProxy). */
  @IsString()
  TRUST_PROXY = 'loopback';

  // --- accounts ---
  /** Signs session tokens. Required under production rules or on a non-loopback HOST; else a published default. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_SECRET must be at least 32 characters' })
  AUTH_SECRET?: string = undefined;

  /** Lifetime of a session token, in seconds. */
  @Transform(toNum)
  @IsInt()
  @Min(60)
  AUTH_TOKEN_TTL_SECONDS = 12 * 60 * 60;

  @IsOptional()
  @IsString()
  ADMIN_EMAIL?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string = undefined;

  /** Login attempts allowed per IP and per email within LOGIN_RATE_WINDOW_SECONDS. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @Transform(toNum)
  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SECONDS = 60;

  /** Largest outline file accepted by the upload endpoint, in bytes. */
  @Transform(toNum)
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES = 512 * 1024;

  // --- model ---
  @IsIn(LLM_PROVIDERS)
  LLM_PROVIDER: LlmProviderName = 'sample';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'LLM_BASE_URL must be an http(s) URL' })
  LLM_BASE_URL?: string = undefined;

  @IsOptional()
  @IsString()
  LLM_API_KEY?: string = undefined;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  LLM_MODEL?: string = undefined;

  /** Per-stage model overrides; each falls back to LLM_MODEL. */
  @IsOptional()
  @IsString()
  LLM_MODEL_OUTLINE?: string = undefined;

  @IsOptional()
  @IsString()
  LLM_MODEL_LESSONS?: string = undefined;

  @IsOptional()
  @IsString()
  LLM_MODEL_TASKS?: string = undefined;

  /** Time allowed for one model call, in milliseconds. */
  @Transform(toNum)
  @IsInt()
  @Min(100)
  LLM_TIMEOUT_MS = 120_000;

  /** Price overrides, `model=input/output[/cached]` USD per million tokens, comma-separated (docs/costs.md). */
  @IsOptional()
  @IsString()
  LLM_PRICES?: string = undefined;

  /** Simulated latency of one call of the offline sample provider. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  SAMPLE_LATENCY_MS = 400;

  /** Share (0..1) of sample-provider calls that fail with a transient error, to demo retries. */
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(1)
  SAMPLE_FAILURE_RATE = 0;

  // --- queue ---
  /** Run one in-process worker inside the API process (`npm start`). */
  @Transform(toBool)
  @IsBoolean()
  START_WORKER = true;

  /** Course jobs (the orchestrating parents) processed at once by one worker process. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  COURSE_CONCURRENCY = 10;

  /** Step jobs (one model call each) processed at once by one worker process. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  STEP_CONCURRENCY = 20;

  /** Cluster-wide cap on model calls per minute (BullMQ limiter); 0 = unlimited. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  MODEL_CALLS_PER_MINUTE = 0;

  /** Attempts of one step before its job fails (the first try included). */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(20)
  STEP_ATTEMPTS = 4;

  /** First retry delay; doubles on each attempt. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  STEP_BACKOFF_MS = 1000;

  /** The longest wait a provider's Retry-After may impose (a step's backoff, the Retry-After the API answers). */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  RETRY_AFTER_MAX_MS = 600_000;

  /** Cluster-wide cap on model calls running at once (BullMQ global concurrency of the steps queue); 0 = none. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  MODEL_CONCURRENCY = 0;

  /** How long a synchronous model call (outline proposals, manual lessons/tasks) may wait for a slot of the
   *  cluster's model budget before answering 503 (docs/generation.md). */
  @Transform(toNum)
  @IsInt()
  @Min(100)
  SYNC_MODEL_WAIT_MS = 30_000;

  /** Model calls one organization may make per minute through the synchronous endpoints; 0 = no limit. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  ORG_SYNC_MODEL_CALLS_PER_MINUTE = 60;

  /** Most model calls one manual lessons/tasks request may make; larger requests answer 409 (queue instead). */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  MANUAL_MAX_MODEL_CALLS = 10;

  /** How long a worker's claim on a running step lasts without renewal; a killed worker's steps return after it. */
  @Transform(toNum)
  @IsInt()
  @Min(1000)
  QUEUE_LOCK_MS = 30_000;

  /** Times a step may lose its worker (stall) and come back; one more and its job fails (docs/queue.md, "What fails a job"). */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  STEP_MAX_STALLED = 5;

  /** How often workers look for stalled steps (claims of dead workers). */
  @Transform(toNum)
  @IsInt()
  @Min(500)
  QUEUE_STALLED_INTERVAL_MS = 15_000;

  /** How often the reconciler re-enqueues jobs whose queue entry is missing. */
  @Transform(toNum)
  @IsInt()
  @Min(200)
  RECONCILE_INTERVAL_MS = 5000;

  /** How long a worker lets running steps finish after SIGTERM. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 30_000;

  /** Bull Board (operators only) shows the queues without pause/empty/retry/add/remove; false lets operators act. */
  @Transform(toBool)
  @IsBoolean()
  BULL_BOARD_READ_ONLY = true;

  /** Worker processes (`npm run worker`) serve /metrics and /health/live|ready on this port; unset: they do not. The
   *  API serves them on PORT, for its in-process worker too (docs/queue.md, "Metrics and health"). */
  @IsOptional()
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number = undefined;

  /** When set, /metrics (API and workers) answers only `Authorization: Bearer <METRICS_TOKEN>`; else 401. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string = undefined;

  /** Sibling titles at least this similar (0–1, after normalization) are near-duplicates for the quality gate that
   *  runs before auto-publish (docs/generation.md, "Quality gate"); titles equal once normalized always are. */
  @Transform(toNum)
  @IsNumber()
  @Min(0)
  @Max(1)
  QUALITY_TITLE_SIMILARITY = 0.9;

  // --- webhooks (docs/webhooks.md) ---
  /** Lets webhook URLs reach private, loopback and link-local addresses (tests, or receivers on your own network). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  /** Time allowed for one delivery attempt (connect, send, answer). */
  @Transform(toNum)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts of one delivery; with WEBHOOK_BACKOFF_MS doubling, 12 attempts span about a day. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  @Max(30)
  WEBHOOK_ATTEMPTS = 12;

  /** First retry delay of a delivery; doubles each attempt. */
  @Transform(toNum)
  @IsInt()
  @Min(0)
  WEBHOOK_BACKOFF_MS = 45_000;

  /** Deliveries in a row that failed every attempt before their endpoint is disabled. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  WEBHOOK_MAX_FAILURES = 20;

  /** Deliveries sent at once per worker process. */
  @Transform(toNum)
  @IsInt()
  @Min(1)
  WEBHOOK_CONCURRENCY = 10;

  /** How often the worker's dispatcher turns new events into deliveries. */
  @Transform(toNum)
  @IsInt()
  @Min(50)
  WEBHOOK_DISPATCH_INTERVAL_MS = 1000;

  /** Encrypts signing secrets at rest (32+ characters); unset: derived from AUTH_SECRET. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'WEBHOOK_SECRETS_KEY must be at least 32 characters' })
  WEBHOOK_SECRETS_KEY?: string = undefined;

  /** Test-only fault injection (never honoured in production): `crash-after-job-commit` exits the API between
   *  committing a queued job's row and enqueueing it, to prove the reconciler recovers it. */
  @IsOptional()
  @IsIn(['crash-after-job-commit'])
  FAULT_INJECTION?: 'crash-after-job-commit' = undefined;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** True when the API only accepts connections from this machine (HOST is loopback). */
  get bindsLoopbackOnly(): boolean {
    return isLoopbackHost(this.HOST);
  }

  /**
   * Production rules or a non-loopback bind: the published development secret and owner password are refused
   * (docs/accounts-and-curriculum.md).
   */
  get refusesPublishedDefaults(): boolean {
    return this.isProduction || !this.bindsLoopbackOnly;
  }

  /** The Express `trust proxy` value of TRUST_PROXY (validated by loadConfig). */
  get trustProxy(): number | false | string[] {
    const parsed = parseTrustProxy(this.TRUST_PROXY);
    if (typeof parsed === 'object' && 'problem' in parsed) throw new ConfigError([parsed.problem]);
    return parsed;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) =>
      msg.includes(e.property) ? msg : `${e.property}: ${msg}`,
    ),
  );
}

/** The published development secret and owner password, refused under production rules or beyond loopback. */
function publishedDefaultProblems(config: AppConfig, nodeEnvSet: boolean): string[] {
  if (!config.refusesPublishedDefaults) return [];
  const why = config.isProduction
    ? `NODE_ENV=production${nodeEnvSet ? '' : ` (NODE_ENV is unset and HOST=${config.HOST} is not loopback)`}`
    : `HOST=${config.HOST} is not loopback`;
  const problems: string[] = [];
  if (!config.AUTH_SECRET)
    problems.push(
      `AUTH_SECRET is required when ${why}: the development secret is published, so anyone could forge a session`,
    );
  else if (config.AUTH_SECRET === DEVELOPMENT_AUTH_SECRET)
    problems.push(`AUTH_SECRET must not be the published development secret when ${why}`);
  if (config.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD)
    problems.push(`ADMIN_PASSWORD must not be the published default "${DEV_ADMIN_PASSWORD}" when ${why}`);
  return problems;
}

/** Reads, converts and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  // Every property has an initializer, so the keys of a fresh instance are exactly the variables read.
  for (const key of Object.keys(new AppConfig())) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const problems = describe(validateSync(config, { skipMissingProperties: false }));
  // Safe by default: without NODE_ENV only a loopback-only server gets development rules.
  if (raw.NODE_ENV === undefined && !config.bindsLoopbackOnly) config.NODE_ENV = 'production';
  const trustProxy = parseTrustProxy(config.TRUST_PROXY);
  if (typeof trustProxy === 'object' && 'problem' in trustProxy) problems.push(trustProxy.problem);
  problems.push(...publishedDefaultProblems(config, raw.NODE_ENV !== undefined));
  if (config.LLM_PROVIDER !== 'sample' && !config.LLM_MODEL) {
    problems.push(`LLM_MODEL is required when LLM_PROVIDER=${config.LLM_PROVIDER}`);
  }
  if (config.LLM_PROVIDER === 'openai-compatible' && !config.LLM_BASE_URL) {
    problems.push('LLM_BASE_URL is required when LLM_PROVIDER=openai-compatible');
  }
  const prices = parseLlmPrices(config.LLM_PRICES);
  if (!(prices instanceof Map)) problems.push(...prices.problems);
  problems.push(...redisConfigProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
