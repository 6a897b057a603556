import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { APICallError } from 'ai';
import { classifyLlmError, LlmError } from '../../generation/llm-error';
import { isInfrastructureError, stepBackoffDelay } from './step-errors';

describe('isInfrastructureError', () => {
  it('a connection killed under a transaction (pg_terminate_backend) is infrastructure, not a model failure', () => {
    expect(isInfrastructureError(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isInfrastructureError(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    const terminated = new QueryFailedError(
      'UPDATE …',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    expect(isInfrastructureError(terminated)).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isInfrastructureError(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
  });

  it('no free pool connection (pg-pool, passed on by TypeORM) is infrastructure, wrapped or not', () => {
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    expect(isInfrastructureError(poolTimeout)).toBe(true);
    expect(isInfrastructureError(new Error('Could not write the lessons', { cause: poolTimeout }))).toBe(
      true,
    );
    expect(
      isInfrastructureError(
        new Error('Connection terminated due to connection timeout', { cause: new Error('x') }),
      ),
    ).toBe(true);
  });

  it('TypeORM and ioredis "not connected" errors are infrastructure', () => {
    for (const name of [
      'CannotExecuteNotConnectedError',
      'ConnectionIsNotSetError',
      'MaxRetriesPerRequestError',
    ])
      expect(isInfrastructureError(Object.assign(new Error('…'), { name }))).toBe(true);
    expect(isInfrastructureError(new Error('Driver not Connected'))).toBe(true);
    expect(
      isInfrastructureError(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe(true);
  });

  it('model errors and ordinary bugs are not', () => {
    expect(isInfrastructureError(new LlmError('transient', 'fake', 'network error: ECONNRESET'))).toBe(false);
    expect(isInfrastructureError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('stepBackoffDelay', () => {
  const rateLimited = (retryAfter: string): LlmError =>
    classifyLlmError(
      new APICallError({
        message: 'HTTP 429',
        url: 'https://llm.example.test/v1/chat/completions',
        requestBodyValues: {},
        statusCode: 429,
        responseHeaders: { 'retry-after': retryAfter },
      }),
      { provider: 'openai-compatible', maxRetryAfterMs: 600_000 },
    );

  it('doubles from the base delay', () => {
    expect([1, 2, 3].map((n) => stepBackoffDelay(n, 1000))).toEqual([1000, 2000, 4000]);
  });

  it('waits at least a 429’s Retry-After', () => {
    expect(stepBackoffDelay(1, 1000, rateLimited('30'))).toBe(30_000);
  });

  describe('when the provider answers Retry-After: 86400', () => {
    it('waits RETRY_AFTER_MAX_MS (10 minutes by default), not a day', () => {
      expect(stepBackoffDelay(1, 1000, rateLimited('86400'))).toBe(600_000);
    });
  });
});
