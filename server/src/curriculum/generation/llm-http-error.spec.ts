import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { LlmError } from '../../generation/llm-error';
import { clientGoneSignal, llmErrorToHttp, mapLlmErrors } from './llm-http-error';
import { EventEmitter } from 'node:events';

const fakeRes = () => {
  const headers: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    writableFinished: false,
    setHeader: (name: string, value: string) => void (headers[name] = value),
  });
  return { res: res as unknown as Response, headers, emitter: res };
};

describe('model failures over HTTP', () => {
  it('rate_limited → 503 with Retry-After (whole seconds, at least 1)', () => {
    const { res, headers } = fakeRes();
    const http = llmErrorToHttp(
      new LlmError('rate_limited', 'anthropic', 'rate limited', { retryAfterMs: 1200 }),
      res,
    );
    expect(http.getStatus()).toBe(503);
    expect(headers['Retry-After']).toBe('2');
    expect(http.getResponse()).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      kind: 'rate_limited',
      provider: 'anthropic',
      retry_after_seconds: 2,
      message: 'anthropic: rate limited',
    });
  });

  it.each(['transient', 'invalid_output', 'permanent'] as const)('%s → 502 without Retry-After', (kind) => {
    const { res, headers } = fakeRes();
    const http = llmErrorToHttp(new LlmError(kind, 'openai-compatible', 'nope'), res);
    expect(http.getStatus()).toBe(502);
    expect(http.getResponse()).toMatchObject({ error: 'Bad Gateway', kind });
    expect(headers).toEqual({});
  });

  it('PostgreSQL or Redis trouble (a pool timeout) → 503, not a model failure; the cause is kept, not shown', async () => {
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    const error = await mapLlmErrors(() => Promise.reject(poolTimeout)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(HttpException);
    const http = error as HttpException;
    expect(http.getStatus()).toBe(503);
    expect(http.getResponse()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database or Redis is unavailable right now; try again shortly',
    });
    expect(http.cause).toBe(poolTimeout);
  });

  it('mapLlmErrors converts LlmErrors only', async () => {
    await expect(mapLlmErrors(async () => 1)).resolves.toBe(1);
    await expect(
      mapLlmErrors(() => Promise.reject(new LlmError('transient', 'x', 'y'))),
    ).rejects.toBeInstanceOf(HttpException);
    const other = new Error('db down');
    await expect(mapLlmErrors(() => Promise.reject(other))).rejects.toBe(other);
  });

  it('clientGoneSignal aborts when the connection closes before the answer, not after it', () => {
    const early = fakeRes();
    const signal = clientGoneSignal(early.res);
    early.emitter.emit('close');
    expect(signal.aborted).toBe(true);

    const done = fakeRes();
    const kept = clientGoneSignal(done.res);
    done.emitter.writableFinished = true;
    done.emitter.emit('close');
    expect(kept.aborted).toBe(false);
  });
});
