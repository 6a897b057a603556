import { LlmError } from '../../generation/llm-error';
import { errorOfOutcome, outcomeOfError } from './model-call-outcome';

describe('a synchronous model call’s failure, carried from the worker back to the request', () => {
  it('keeps the kind, provider, model, status, Retry-After and the exact message through JSON', () => {
    const original = new LlmError('rate_limited', 'openai-compatible', 'rate limited', {
      model: 'fake-chat',
      status: 429,
      retryAfterMs: 30_000,
    });
    const outcome = JSON.parse(JSON.stringify(outcomeOfError(original)));
    expect(outcome.ok).toBe(false);
    const back = errorOfOutcome(outcome.error);
    expect(back).toBeInstanceOf(LlmError);
    expect(back).toMatchObject({
      kind: 'rate_limited',
      provider: 'openai-compatible',
      model: 'fake-chat',
      status: 429,
      retryAfterMs: 30_000,
      message: original.message,
    });
    expect(back.message).toBe('openai-compatible (model fake-chat): rate limited');
  });

  it('leaves out what the original did not have', () => {
    const back = errorOfOutcome(
      JSON.parse(JSON.stringify(outcomeOfError(new LlmError('permanent', 'anthropic', 'bad key')))).error,
    );
    expect(back.retryAfterMs).toBeUndefined();
    expect(back.status).toBeUndefined();
    expect(back.retryable).toBe(false);
  });
});
