import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError } from '@contracts/api';

/** Angular's resources wrap non-Error failures (an HttpErrorResponse) in an Error with `cause`. */
function unwrap(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof HttpErrorResponse ? error.cause : error;
}

/** The API's error body, when the failure carried one. */
export function apiErrorBody(failure: unknown): ApiError | null {
  const error = unwrap(failure);
  if (error instanceof HttpErrorResponse && error.error && typeof error.error === 'object') {
    const body = error.error as Partial<ApiError>;
    if (typeof body.statusCode === 'number' && body.message !== undefined) {
      return body as ApiError;
    }
  }
  return null;
}

/** The HTTP status of a failed request; 0 when the API was unreachable. */
export function httpStatus(failure: unknown): number | null {
  const error = unwrap(failure);
  return error instanceof HttpErrorResponse ? error.status : null;
}

/** One readable sentence for any failed request. */
export function errorMessage(failure: unknown, fallback = 'Something went wrong.'): string {
  const error = unwrap(failure);
  const body = apiErrorBody(error);
  if (body) {
    return Array.isArray(body.message) ? body.message.join('; ') : body.message;
  }
  if (error instanceof HttpErrorResponse) {
    return error.status === 0 ? 'The API is unreachable. Check your connection and try again.' : fallback;
  }
  return fallback;
}

/** 402: the organization's monthly model budget is used up; the message names it (docs/costs.md). */
export function isBudgetExhausted(failure: unknown): boolean {
  return httpStatus(failure) === 402;
}
