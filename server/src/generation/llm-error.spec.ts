import {
  APICallError,
  JSONParseError,
  LoadAPIKeyError,
  NoObjectGeneratedError,
  RetryError,
  TypeValidationError,
} from 'ai';
import pino from 'pino';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { PinoNestLogger } from '../logging/logger';
import { capRetryAfter, classifyLlmError, LlmError, parseRetryAfterMs, redactSecrets } from './llm-error';

const KEY = 'sk-live-0123456789abcdef-secret';
const ctx = { provider: 'openai-compatible', model: 'gpt-test', secrets: [KEY] };

const apiError = (
  statusCode: number | undefined,
  extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {},
) =>
  new APICallError({
    message: extra.message ?? `HTTP ${statusCode}`,
    url: 'https://llm.example.test/v1/chat/completions',
    requestBodyValues: { model: 'gpt-test' },
    statusCode,
    responseHeaders: extra.responseHeaders,
    responseBody: extra.responseBody,
    isRetryable: false,
    cause: extra.cause,
  });

const noObject = (cause: Error) =>
  new NoObjectGeneratedError({
    message: 'No object generated',
    cause,
    text: '{}',
    response: { id: 'r', timestamp: new Date(), modelId: 'gpt-test' },
    usage: {
      inputTokens: 1,
      outputTokens: 1,
      totalTokens: 2,
      inputTokenDetails: {
        noCacheTokens: undefined,
        cacheReadTokens: undefined,
        cacheWriteTokens: undefined,
      },
      outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
    },
    finishReason: 'stop',
  });

describe('classifyLlmError', () => {
  it('429 → rate_limited, carrying Retry-After (seconds) as retryAfterMs', () => {
    const e = classifyLlmError(apiError(429, { responseHeaders: { 'retry-after': '12' } }), ctx);
    expect(e).toBeInstanceOf(LlmError);
    expect(e).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 12_000,
      provider: 'openai-compatible',
    });
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(
      /^openai-compatible \(model gpt-test\): rate limited \(HTTP 429\); retry after 12 s/,
    );
  });

  describe('when the provider asks for a Retry-After longer than RETRY_AFTER_MAX_MS', () => {
    const capped = { ...ctx, maxRetryAfterMs: 600_000 };

    it.each([
      [{ 'retry-after': '86400' }],
      [{ 'retry-after-ms': '86400000' }],
      [{ 'retry-after': 'Fri, 02 Jan 2099 00:00:00 GMT' }],
    ])('cuts %j to the cap and says so', (responseHeaders) => {
      const e = classifyLlmError(apiError(429, { responseHeaders }), capped);
      expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 600_000 });
      expect(e.message).toMatch(/retry after 600 s \(capped; the provider asked \d+ s\)/);
    });

    it('keeps a shorter one as it is', () => {
      const e = classifyLlmError(apiError(429, { responseHeaders: { 'retry-after': '30' } }), capped);
      expect(e.retryAfterMs).toBe(30_000);
      expect(e.message).not.toContain('capped');
    });
  });

  it('429 without Retry-After → rate_limited with no retryAfterMs', () => {
    const e = classifyLlmError(apiError(429), ctx);
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it.each([500, 502, 503, 529, 408, 409])('%i → transient', (status) => {
    const e = classifyLlmError(apiError(status), ctx);
    expect(e).toMatchObject({ kind: 'transient', status });
  });

  it.each([400, 401, 403, 404, 422])('%i → permanent, with the provider’s own message', (status) => {
    const body = JSON.stringify({ error: { message: `Nope (${status})`, type: 'invalid_request_error' } });
    const e = classifyLlmError(apiError(status, { responseBody: body }), ctx);
    expect(e).toMatchObject({ kind: 'permanent', status });
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(`request rejected (HTTP ${status}): Nope (${status})`);
  });

  it('an API error without status (connection failed) → transient network error', () => {
    const e = classifyLlmError(apiError(undefined, { message: 'Cannot connect to API: ECONNREFUSED' }), ctx);
    expect(e.kind).toBe('transient');
    expect(e.message).toContain('network error');
  });

  it('a raw fetch failure with ECONNRESET in its causes → transient network error', () => {
    const socket = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const e = classifyLlmError(new TypeError('fetch failed', { cause: socket }), ctx);
    expect(e.kind).toBe('transient');
    expect(e.message).toContain('ECONNRESET');
  });

  it('a 2xx body the SDK could not read → invalid_output', () => {
    expect(classifyLlmError(apiError(200, { message: 'Invalid JSON response' }), ctx).kind).toBe(
      'invalid_output',
    );
  });

  it('unparseable JSON, schema mismatch and zod errors → invalid_output with the first issue', () => {
    const zodError = z
      .object({ lessons: z.array(z.string()).length(3) })
      .safeParse({ lessons: ['a'] }).error!;
    const mismatch = classifyLlmError(noObject(new TypeValidationError({ value: {}, cause: zodError })), ctx);
    expect(mismatch.kind).toBe('invalid_output');
    expect(mismatch.message).toMatch(/invalid output: lessons: /);

    const parse = classifyLlmError(
      noObject(new JSONParseError({ text: '{', cause: new SyntaxError('x') })),
      ctx,
    );
    expect(parse.kind).toBe('invalid_output');
    expect(parse.message).toContain('not valid JSON');

    expect(classifyLlmError(zodError, ctx).kind).toBe('invalid_output');
    expect(classifyLlmError(new JSONParseError({ text: '{', cause: new SyntaxError('x') }), ctx).kind).toBe(
      'invalid_output',
    );
  });

  it("the caller's signal decides: aborted, whatever the SDK threw", () => {
    const caller = AbortSignal.abort();
    const e = classifyLlmError(new DOMException('This operation was aborted', 'AbortError'), {
      ...ctx,
      callerSignal: caller,
    });
    expect(e.kind).toBe('aborted');
    expect(e.retryable).toBe(false);
  });

  it('the timeout signal (and not the caller’s) → transient timeout', () => {
    const timeoutSignal = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    const e = classifyLlmError(new DOMException('timed out', 'TimeoutError'), {
      ...ctx,
      callerSignal: new AbortController().signal,
      timeoutSignal,
      timeoutMs: 1500,
    });
    expect(e.kind).toBe('transient');
    expect(e.message).toContain('no answer within 1500 ms (timed out)');
  });

  it('unwraps a RetryError to its last error', () => {
    const retry = new RetryError({
      message: 'Failed after 3 attempts',
      reason: 'maxRetriesExceeded',
      errors: [apiError(503), apiError(429)],
    });
    expect(classifyLlmError(retry, ctx).kind).toBe('rate_limited');
  });

  it('a missing key or bad argument → permanent; anything unknown → transient', () => {
    expect(classifyLlmError(new LoadAPIKeyError({ message: 'API key is missing' }), ctx).kind).toBe(
      'permanent',
    );
    expect(classifyLlmError(new Error('something odd'), ctx).kind).toBe('transient');
  });

  it('keeps the cause and passes an LlmError through unchanged', () => {
    const original = apiError(500);
    const e = classifyLlmError(original, ctx);
    expect(e.cause).toBe(original);
    expect(classifyLlmError(e, ctx)).toBe(e);
  });
});

describe('the API key never appears', () => {
  const echoing = () =>
    apiError(401, {
      message: `Incorrect API key provided: ${KEY}`,
      responseBody: JSON.stringify({
        error: { message: `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}` },
      }),
    });

  it('not in the message, and not in the kept cause (redacted in place)', () => {
    const e = classifyLlmError(echoing(), ctx);
    expect(e.kind).toBe('permanent');
    expect(e.message).toContain('[redacted]');
    expect(e.message).not.toContain(KEY);
    const cause = e.cause as APICallError;
    expect(cause.message).not.toContain(KEY);
    expect(cause.responseBody).not.toContain(KEY);
  });

  it('not in a log line of the error, serialized with its causes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = new PinoNestLogger(pino({ level: 'debug' }, sink));
    const e = classifyLlmError(echoing(), ctx);
    logger.error(e);
    logger.warn({ msg: 'Model call failed', error: e.message, err: e });
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line).not.toContain(KEY);
  });

  it('redactSecrets also masks bearer tokens it was not told about', () => {
    expect(redactSecrets('Authorization: Bearer abcdefghijklmnop', [])).toBe(
      'Authorization: Bearer [redacted]',
    );
  });
});

describe('capRetryAfter', () => {
  it('cuts to the cap; no value or no cap passes through', () => {
    expect(capRetryAfter(86_400_000, 600_000)).toBe(600_000);
    expect(capRetryAfter(1000, 600_000)).toBe(1000);
    expect(capRetryAfter(undefined, 600_000)).toBeUndefined();
    expect(capRetryAfter(86_400_000, undefined)).toBe(86_400_000);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now)).toBe(10_000);
    expect(parseRetryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfterMs({ 'Retry-After': '2' }, now)).toBe(2000);
    expect(parseRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});
