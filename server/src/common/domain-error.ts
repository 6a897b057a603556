/**
 * Errors services throw; the HTTP filter maps each code to a status. Workers see these too, never HTTP types.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'payment_required';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('not_found', `${what} not found`, undefined, options);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

export class InvalidInputError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid', message, details);
  }
}

/** Too many attempts; HTTP answers 429 with a Retry-After header of `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

/** A budget is used up (docs/costs.md, "Budgets and estimates"): HTTP 402, the message names the budget. */
export class PaymentRequiredError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('payment_required', message, details);
  }
}
