import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorCode, RateLimitedError } from '../common/domain-error';

const STATUS_OF: Record<DomainErrorCode, number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  payment_required: HttpStatus.PAYMENT_REQUIRED,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** One error shape for every response: `{statusCode, message, error, request_id, ...details}`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, body } = this.toBody(exception);
    if (status >= 500) this.logger.error({ err: exception, req_id: req.id, msg: 'Unhandled error' });
    if (res.headersSent) return;
    if (exception instanceof RateLimitedError)
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(status).json({ ...body, request_id: req.id });
  }

  private toBody(exception: unknown): { status: number; body: Record<string, unknown> } {
    if (exception instanceof DomainError) {
      const status = STATUS_OF[exception.code];
      return {
        status,
        body: { statusCode: status, message: exception.message, error: REASON[status], ...exception.details },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body =
        typeof response === 'object' && response !== null
          ? { statusCode: status, error: REASON[status] ?? exception.name, ...(response as object) }
          : { statusCode: status, message: response, error: REASON[status] ?? exception.name };
      return { status, body };
    }
    // body-parser and multer errors carry their own status (413 entity.too.large, 400 bad JSON).
    const e = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        e.type === 'entity.too.large'
          ? 'Request body is too large'
          : (e.message ?? REASON[status] ?? 'Bad Request');
      return { status, body: { statusCode: status, message, error: REASON[status] ?? 'Bad Request' } };
    }
    return { status: 500, body: { statusCode: 500, message: 'Internal server error', error: REASON[500] } };
  }
}
