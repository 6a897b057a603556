import { createAnthropic, type AnthropicProvider } from '@ai-sdk/anthropic';
import { Logger } from '@nestjs/common';
import type { ProviderInfo } from '../../../../contracts/api';
import type { AppConfig } from '../../config/app-config';
import type { CallDeadline } from '../call-deadline';
import type { LlmRequest, LlmResult } from '../llm-provider';
import { generateWithAiSdk } from './ai-sdk-call';
import { HttpLlmProvider } from './http-llm-provider';

export const ANTHROPIC = 'anthropic';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';

/**
 * Claude through the AI SDK's Anthropic adapter: structured output (native output format where the model has
 * it, else a forced JSON tool — the SDK picks), validated against the full zod schema here.
 */
export class AnthropicLlmProvider extends HttpLlmProvider {
  readonly info: ProviderInfo;
  protected readonly logger = new Logger(AnthropicLlmProvider.name);
  private readonly sdk: AnthropicProvider;

  constructor(config: AppConfig, options: { fetch?: typeof fetch } = {}) {
    super(config);
    if (!config.LLM_API_KEY) throw new Error('LLM_API_KEY is required when LLM_PROVIDER=anthropic');
    // Both given explicitly, so the SDK never falls back to reading ANTHROPIC_* from the environment.
    this.sdk = createAnthropic({
      apiKey: config.LLM_API_KEY,
      baseURL: config.LLM_BASE_URL ?? ANTHROPIC_DEFAULT_BASE_URL,
      fetch: options.fetch,
    });
    this.info = { name: ANTHROPIC, model: config.LLM_MODEL ?? '', sample: false };
  }

  protected attempt<T>(
    req: LlmRequest<T>,
    modelId: string,
    deadline: CallDeadline,
    startedAt: number,
  ): Promise<LlmResult<T>> {
    return generateWithAiSdk(this.sdk.messages(modelId), req, {
      system: req.system,
      deadline,
      requestedModel: modelId,
      startedAt,
    });
  }
}
