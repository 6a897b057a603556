import { Logger } from '@nestjs/common';
import type { ProviderInfo } from '../../../../../contracts/api';
import type { AppConfig } from '../../../config/app-config';
import { abortableDelay, callDeadline } from '../../call-deadline';
import { classifyLlmError, LlmError } from '../../llm-error';
import type { LlmProvider, LlmRequest, LlmResult } from '../../llm-provider';
import { writeSample } from './sample-writer';

export const SAMPLE = 'sample';
export const SAMPLE_MODEL = 'sample-v1';
const LABEL = 'Sample generator';

/** Rough token count of a text: about four characters per token, as with English and common tokenizers. */
export const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/**
 * The offline provider (the default): no network, no key. It writes believable, topic-specific content from the
 * request's context, deterministically for the same context and seed, and validates it with the request's
 * schema like any other answer. SAMPLE_LATENCY_MS makes each call take time (honouring the signal and the
 * timeout); SAMPLE_FAILURE_RATE makes a share of calls fail as `transient`, at random, so retries can be shown.
 */
export class SampleLlmProvider implements LlmProvider {
  readonly info: ProviderInfo = { name: SAMPLE, model: SAMPLE_MODEL, sample: true };
  private readonly logger = new Logger(SampleLlmProvider.name);

  constructor(
    private readonly config: AppConfig,
    /** Decides simulated failures; not seeded, so a retry of a failed call can succeed. */
    private readonly random: () => number = Math.random,
  ) {}

  async generateObject<T>(req: LlmRequest<T>): Promise<LlmResult<T>> {
    const startedAt = performance.now();
    const fail = (kind: LlmError['kind'], message: string, cause?: unknown): LlmError =>
      new LlmError(kind, SAMPLE, message, { label: LABEL, cause });
    if (req.signal?.aborted) throw fail('aborted', 'call cancelled by the caller', req.signal.reason);
    const timeoutMs = req.timeoutMs ?? this.config.LLM_TIMEOUT_MS;
    const deadline = callDeadline(req.signal, timeoutMs);
    try {
      await abortableDelay(this.config.SAMPLE_LATENCY_MS, deadline.signal);
    } catch (err) {
      throw classifyLlmError(err, {
        provider: SAMPLE,
        label: LABEL,
        callerSignal: req.signal,
        timeoutSignal: deadline.timeoutSignal,
        timeoutMs,
      });
    }
    if (this.config.SAMPLE_FAILURE_RATE > 0 && this.random() < this.config.SAMPLE_FAILURE_RATE) {
      this.logger.debug({ msg: 'Simulated transient failure', stage: req.stage, tags: req.tags });
      throw fail('transient', 'simulated transient failure');
    }
    if (!req.context || req.context.stage !== req.stage) {
      throw fail('permanent', `no ${req.stage} context in the request: the sample generator writes from it`);
    }
    const raw = writeSample(req.context);
    const parsed = req.schema.safeParse(raw);
    if (!parsed.success) {
      throw classifyLlmError(parsed.error, { provider: SAMPLE, label: LABEL });
    }
    return {
      object: parsed.data,
      usage: {
        prompt_tokens: approxTokens(req.system) + approxTokens(req.prompt),
        completion_tokens: approxTokens(JSON.stringify(raw)),
      },
      model: SAMPLE_MODEL,
      duration_ms: Math.round(performance.now() - startedAt),
    };
  }
}
