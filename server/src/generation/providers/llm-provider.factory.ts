import type { AppConfig } from '../../config/app-config';
import type { LlmProvider } from '../llm-provider';
import { AnthropicLlmProvider } from './anthropic.provider';
import { OpenAiCompatibleLlmProvider } from './openai-compatible.provider';
import { SampleLlmProvider } from './sample/sample.provider';

/** The adapter LLM_PROVIDER names (`sample` by default). */
export function createLlmProvider(config: AppConfig): LlmProvider {
  switch (config.LLM_PROVIDER) {
    case 'openai-compatible':
      return new OpenAiCompatibleLlmProvider(config);
    case 'anthropic':
      return new AnthropicLlmProvider(config);
    case 'sample':
      return new SampleLlmProvider(config);
  }
}
