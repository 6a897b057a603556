import { LlmError, type LlmErrorKind } from '../../generation/llm-error';

/** How a synchronous endpoint's model call ended in the worker: its result, or the LlmError, kept across Redis. */
export type ModelCallOutcome =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: {
        kind: LlmErrorKind;
        provider: string;
        message: string;
        model?: string;
        status?: number;
        retryAfterMs?: number;
      };
    };

export function outcomeOfError(err: LlmError): ModelCallOutcome {
  return {
    ok: false,
    error: {
      kind: err.kind,
      provider: err.provider,
      message: err.message,
      model: err.model,
      status: err.status,
      retryAfterMs: err.retryAfterMs,
    },
  };
}

/** The LlmError an outcome carries, with the message the worker wrote (it already names the provider and model). */
export function errorOfOutcome(error: Extract<ModelCallOutcome, { ok: false }>['error']): LlmError {
  const err = new LlmError(error.kind, error.provider, '', {
    model: error.model,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
  });
  err.message = error.message;
  return err;
}
