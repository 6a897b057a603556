import {
  APICallError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  NoSuchModelError,
  RetryError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from 'ai';
import { ZodError } from 'zod';

/**
 * - `rate_limited`: the provider said 429; `retryAfterMs` carries its Retry-After when it sent one.
 * - `transient`: 5xx, 408/409/425, network failure, or no answer within the timeout — worth retrying.
 * - `invalid_output`: the answer was not JSON, did not match the schema, or had the wrong number of items.
 * - `permanent`: the provider refused the request (400/401/403/404/422 …) or the configuration is wrong.
 * - `aborted`: the caller's AbortSignal fired (e.g. the job was cancelled). Not a failure of the provider.
 */
export type LlmErrorKind = 'rate_limited' | 'transient' | 'invalid_output' | 'permanent' | 'aborted';

export const RETRYABLE_LLM_ERROR_KINDS: readonly LlmErrorKind[] = [
  'rate_limited',
  'transient',
  'invalid_output',
];

/** The one error type model calls fail with. Its message names the provider and the cause, never the API key. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly provider: string;
  readonly model?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    kind: LlmErrorKind,
    provider: string,
    message: string,
    options: { label?: string; model?: string; status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(
      `${options.label ?? provider}${options.model ? ` (model ${options.model})` : ''}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'LlmError';
    this.kind = kind;
    this.provider = provider;
    if (options.model !== undefined) this.model = options.model;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether another attempt may succeed (the queue retries these; `permanent` and `aborted` it does not). */
  get retryable(): boolean {
    return RETRYABLE_LLM_ERROR_KINDS.includes(this.kind);
  }
}

export interface ClassifyContext {
  /** The provider's name as shown to users, e.g. 'openai-compatible'. */
  provider: string;
  /** How the message names the provider (default: `provider`), e.g. 'Sample generator'. */
  label?: string;
  /** The model the call asked for, named in the message. */
  model?: string;
  /** The caller's signal: if it fired, the error is `aborted` whatever the SDK threw. */
  callerSignal?: AbortSignal;
  /** The per-call timeout's signal: if it fired (and the caller's did not), the error is a `transient` timeout. */
  timeoutSignal?: AbortSignal;
  timeoutMs?: number;
  /** Strings that must never appear in a message (the API key); they are replaced in the cause chain too. */
  secrets?: readonly (string | undefined)[];
  /** RETRY_AFTER_MAX_MS: a longer Retry-After is cut to this, so one answer cannot park a step for a day. */
  maxRetryAfterMs?: number;
}

const MAX_DETAIL = 300;

/** Duck-typed: errors from fetch (undici) may come from another realm, where `instanceof Error` is false. */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
const REDACTED = '[redacted]';

/** Replaces every secret (and any bearer token) in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}

/** Redacts secrets in the string properties of an error and its causes (they are kept, and may be logged). */
function scrubCauseChain(error: unknown, secrets: readonly (string | undefined)[]): void {
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isErrorLike(current) && !seen.has(current); depth++) {
    seen.add(current);
    const record = current as unknown as Record<string, unknown>;
    for (const key of [...Object.keys(record), 'message', 'stack']) {
      const value = record[key];
      if (typeof value === 'string') {
        const clean = redactSecrets(value, secrets);
        if (clean !== value) {
          try {
            record[key] = clean;
          } catch {
            // a read-only property: the message built from it is redacted anyway
          }
        }
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
}

/** Retry-After as milliseconds: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | undefined =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `retryAfterMs` cut to `maxMs` (RETRY_AFTER_MAX_MS); undefined stays undefined. */
export function capRetryAfter(
  retryAfterMs: number | undefined,
  maxMs: number | undefined,
): number | undefined {
  if (retryAfterMs === undefined || maxMs === undefined) return retryAfterMs;
  return Math.min(retryAfterMs, maxMs);
}

function short(text: string, secrets: readonly (string | undefined)[]): string {
  const clean = redactSecrets(text.replace(/\s+/g, ' ').trim(), secrets);
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL - 1)}…` : clean;
}

/** The provider's own error message from a JSON error body (`{error: {message}}` or `{error: "…"}` or `{message}`). */
function providerMessage(error: APICallError): string {
  const body = error.responseBody;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
      if (typeof parsed.error === 'string') return parsed.error;
      if (typeof parsed.error?.message === 'string') return parsed.error.message;
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // not JSON: fall through to the SDK's message
    }
  }
  return error.message;
}

/** A one-line description of why the output was rejected (the first schema issue), without the content itself. */
function validationDetail(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof ZodError) {
      const issue = current.issues[0];
      if (!issue) break;
      const path = issue.path.length ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    }
    if (JSONParseError.isInstance(current)) return 'the answer was not valid JSON';
    current = (current as { cause?: unknown }).cause;
  }
  return 'the answer did not match the schema';
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;

/** A socket or DNS failure somewhere in the cause chain (`fetch failed` → cause `ECONNREFUSED` …). */
function networkFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isErrorLike(current); depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return `${code} (${current.message})`;
    current = (current as { cause?: unknown }).cause;
  }
  if (isErrorLike(error) && error.name === 'TypeError' && /fetch failed/i.test(error.message))
    return error.message;
  return undefined;
}

function isAbortLike(error: unknown): boolean {
  return isErrorLike(error) && ['AbortError', 'TimeoutError', 'ResponseAborted'].includes(error.name);
}

/**
 * The ONE place where SDK, network and validation errors become `LlmError`s. Every adapter calls it; nothing
 * else interprets provider errors.
 */
export function classifyLlmError(error: unknown, ctx: ClassifyContext): LlmError {
  if (error instanceof LlmError) return error;
  const secrets = ctx.secrets ?? [];
  const { provider, model, label } = ctx;
  scrubCauseChain(error, secrets);
  const make = (
    kind: LlmErrorKind,
    message: string,
    extra: { status?: number; retryAfterMs?: number } = {},
  ): LlmError => new LlmError(kind, provider, message, { ...extra, label, model, cause: error });

  // Whatever the SDK made of it, a fired signal decides: the caller's first, then the timeout.
  if (ctx.callerSignal?.aborted) return make('aborted', 'call cancelled by the caller');
  if (ctx.timeoutSignal?.aborted) {
    return make('transient', `no answer within ${ctx.timeoutMs ?? '?'} ms (timed out)`);
  }

  const cause = RetryError.isInstance(error) ? error.lastError : error;

  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status === undefined) {
      return make('transient', `network error: ${short(cause.message, secrets)}`);
    }
    const detail = short(providerMessage(cause), secrets);
    if (status >= 200 && status < 300) {
      return make('invalid_output', `unreadable response (HTTP ${status}): ${detail}`, { status });
    }
    if (status === 429) {
      const asked = parseRetryAfterMs(cause.responseHeaders);
      const retryAfterMs = capRetryAfter(asked, ctx.maxRetryAfterMs);
      const capped =
        asked !== retryAfterMs ? ` (capped; the provider asked ${Math.ceil(asked! / 1000)} s)` : '';
      const after =
        retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s${capped}`;
      return make('rate_limited', `rate limited (HTTP 429)${after}: ${detail}`, { status, retryAfterMs });
    }
    if (status >= 500 || status === 408 || status === 409 || status === 425) {
      return make('transient', `provider error (HTTP ${status}): ${detail}`, { status });
    }
    return make('permanent', `request rejected (HTTP ${status}): ${detail}`, { status });
  }

  if (
    NoObjectGeneratedError.isInstance(cause) ||
    NoOutputGeneratedError.isInstance(cause) ||
    NoContentGeneratedError.isInstance(cause) ||
    JSONParseError.isInstance(cause) ||
    TypeValidationError.isInstance(cause) ||
    InvalidResponseDataError.isInstance(cause) ||
    cause instanceof ZodError
  ) {
    return make('invalid_output', `invalid output: ${short(validationDetail(cause), secrets)}`);
  }

  if (
    LoadAPIKeyError.isInstance(cause) ||
    InvalidArgumentError.isInstance(cause) ||
    InvalidPromptError.isInstance(cause) ||
    UnsupportedFunctionalityError.isInstance(cause) ||
    NoSuchModelError.isInstance(cause)
  ) {
    return make('permanent', `configuration or request error: ${short(cause.message, secrets)}`);
  }

  const network = networkFailure(cause);
  if (network) return make('transient', `network error: ${short(network, secrets)}`);

  if (isAbortLike(cause)) {
    // Aborted without either of our signals having fired: the connection was cut under us.
    return make('transient', `request aborted: ${short((cause as Error).message, secrets)}`);
  }

  const message = isErrorLike(cause) ? cause.message : String(cause);
  return make('transient', `unexpected error: ${short(message, secrets)}`);
}
