import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { isInfrastructureError } from '../../common/infrastructure-error';
import { LlmError } from '../../generation/llm-error';

/**
 * A model call that failed during a synchronous request, as an HTTP error: 503 with Retry-After when the provider
 * rate-limited us, 502 for every other provider failure (its message names the provider and the cause, never the
 * key). The request is not retried here: the admin tries again.
 */
export function llmErrorToHttp(err: LlmError, res?: Response): HttpException {
  const rateLimited = err.kind === 'rate_limited' || err.kind === 'aborted';
  const status = rateLimited ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
  const retryAfterSeconds =
    err.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  if (retryAfterSeconds !== undefined && res && !res.headersSent)
    res.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpException(
    {
      statusCode: status,
      message: err.message,
      error: rateLimited ? 'Service Unavailable' : 'Bad Gateway',
      kind: err.kind,
      provider: err.provider,
      ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }),
    },
    status,
    { cause: err },
  );
}

/**
 * PostgreSQL or Redis unavailable (a dropped connection, no free pool connection within its timeout) during a
 * synchronous generation: 503, neither a model failure (502) nor a bug (500). The cause is logged, not returned.
 */
export function infrastructureErrorToHttp(err: unknown): HttpException {
  return new HttpException(
    {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'The database or Redis is unavailable right now; try again shortly',
      error: 'Service Unavailable',
    },
    HttpStatus.SERVICE_UNAVAILABLE,
    { cause: err },
  );
}

/** Runs `call`, turning an LlmError into its HTTP error and PostgreSQL or Redis trouble into 503. */
export async function mapLlmErrors<T>(call: () => Promise<T>, res?: Response): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof LlmError) throw llmErrorToHttp(err, res);
    if (isInfrastructureError(err)) throw infrastructureErrorToHttp(err);
    throw err;
  }
}

/** Aborts when the client goes away before the answer is sent, so its model calls stop too. */
export function clientGoneSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the request'));
  });
  return controller.signal;
}
