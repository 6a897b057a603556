import { Logger } from '@nestjs/common';
import type { ProviderInfo } from '../../../../contracts/api';
import type { AppConfig } from '../../config/app-config';
import { callDeadline, type CallDeadline } from '../call-deadline';
import { observeModelCall } from '../../metrics/metrics';
import { classifyLlmError, LlmError } from '../llm-error';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm-provider';
import { modelForStage } from './model-for-stage';

/**
 * What the network adapters share: the per-call deadline (caller's signal + LLM_TIMEOUT_MS), classification of
 * every failure into one `LlmError`, and one log line per call — with tags, never the API key.
 */
export abstract class HttpLlmProvider implements LlmProvider {
  abstract readonly info: ProviderInfo;
  protected abstract readonly logger: Logger;

  constructor(protected readonly config: AppConfig) {}

  /** One call of `modelId`; throws whatever the SDK throws. */
  protected abstract attempt<T>(
    req: LlmRequest<T>,
    modelId: string,
    deadline: CallDeadline,
    startedAt: number,
  ): Promise<LlmResult<T>>;

  async generateObject<T>(req: LlmRequest<T>): Promise<LlmResult<T>> {
    const model = modelForStage(this.config, req.stage);
    const provider = this.info.name;
    if (req.signal?.aborted) {
      throw new LlmError('aborted', provider, 'call cancelled by the caller', {
        model,
        cause: req.signal.reason,
      });
    }
    const timeoutMs = req.timeoutMs ?? this.config.LLM_TIMEOUT_MS;
    const deadline = callDeadline(req.signal, timeoutMs);
    const startedAt = performance.now();
    try {
      const result = await this.attempt(req, model, deadline, startedAt);
      observeModelCall(provider, model, 'ok', startedAt); // the configured model: a bounded label
      this.logger.debug({
        msg: 'Model call succeeded',
        stage: req.stage,
        model: result.model,
        duration_ms: result.duration_ms,
        ...result.usage,
        tags: req.tags,
      });
      return result;
    } catch (err) {
      const error = classifyLlmError(err, {
        provider,
        model,
        callerSignal: req.signal,
        timeoutSignal: deadline.timeoutSignal,
        timeoutMs,
        secrets: [this.config.LLM_API_KEY],
        maxRetryAfterMs: this.config.RETRY_AFTER_MAX_MS,
      });
      observeModelCall(provider, model, error.kind, startedAt);
      this.logger.warn({
        msg: 'Model call failed',
        kind: error.kind,
        status: error.status,
        retry_after_ms: error.retryAfterMs,
        stage: req.stage,
        duration_ms: Math.round(performance.now() - startedAt),
        tags: req.tags,
        error: error.message,
      });
      throw error;
    }
  }
}
