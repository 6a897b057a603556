import { calcPrice } from '@pydantic/genai-prices';
import { Injectable } from '@nestjs/common';
import type { GenerationStage } from '../../../contracts/api';
import { AppConfig } from '../config/app-config';
import { modelForStage } from '../generation/providers/model-for-stage';
import { isLoopbackHost } from '../config/network';
import { parseLlmPrices, type ModelPrice } from './llm-prices';

/** The token counts a price depends on (cached and cache-write tokens are parts of prompt_tokens). */
export interface PricedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_prompt_tokens?: number;
  cache_write_tokens?: number;
}

/** USD with the precision of the `numeric(14,6)` columns, so a stored cost is exactly the one computed. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

/**
 * What a model call cost (docs/costs.md): the `sample` provider is free; LLM_PRICES wins for any model it names;
 * a model served from a loopback base URL (a local server) is free; else the bundled price data of
 * `@pydantic/genai-prices`; else null — an unknown price is never guessed.
 */
@Injectable()
export class PriceTable {
  private readonly overrides: Map<string, ModelPrice>;
  private readonly local: boolean;

  constructor(private readonly config: AppConfig) {
    const parsed = parseLlmPrices(config.LLM_PRICES);
    // loadConfig refuses a bad LLM_PRICES at start-up; this only guards a hand-made config.
    if (!(parsed instanceof Map)) throw new Error(parsed.problems.join('; '));
    this.overrides = parsed;
    this.local = config.LLM_BASE_URL !== undefined && isLoopbackHost(hostOf(config.LLM_BASE_URL));
  }

  /**
   * The cost in USD of one call of `model` (as the provider answered), rounded to 6 decimals; null when unknown.
   * The stage's configured model is tried too: a provider may answer with a dated id (`gpt-4o-mini-2024-07-18`).
   */
  cost(usage: PricedUsage, model: string, stage?: GenerationStage): number | null {
    if (this.config.LLM_PROVIDER === 'sample') return 0;
    const requestedModel = stage ? this.configuredModel(stage) : undefined;
    const override =
      this.overrides.get(model) ?? (requestedModel ? this.overrides.get(requestedModel) : undefined);
    if (override) return roundUsd(byOverride(usage, override));
    if (this.local) return 0;
    for (const id of new Set([model, requestedModel].filter((m): m is string => !!m))) {
      const usd = this.lookUp(usage, id);
      if (usd !== null) return roundUsd(usd);
    }
    return null;
  }

  private configuredModel(stage: GenerationStage): string | undefined {
    try {
      return modelForStage(this.config, stage);
    } catch {
      return undefined; // no LLM_MODEL: only the answered name can be priced
    }
  }

  private lookUp(usage: PricedUsage, model: string): number | null {
    const tokens = {
      input_tokens: usage.prompt_tokens,
      output_tokens: usage.completion_tokens,
      cache_read_tokens: usage.cached_prompt_tokens || undefined,
      cache_write_tokens: usage.cache_write_tokens || undefined,
    };
    const attempts =
      this.config.LLM_PROVIDER === 'anthropic'
        ? [{ providerId: 'anthropic' }]
        : // An OpenAI-compatible server: its URL names the provider when it is a known one (OpenAI, OpenRouter,
          // Groq …), else the model's name alone decides.
          [...(this.config.LLM_BASE_URL ? [{ providerApiUrl: this.config.LLM_BASE_URL }] : []), {}];
    for (const options of attempts) {
      try {
        const price = calcPrice(tokens, model, options);
        if (price && Number.isFinite(price.total_price)) return price.total_price;
      } catch {
        // Price data the library cannot apply to this usage: unknown, not an error of the call.
      }
    }
    return null;
  }
}

function byOverride(usage: PricedUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cached_prompt_tokens ?? 0, usage.prompt_tokens);
  return (
    ((usage.prompt_tokens - cached) * price.input +
      cached * price.cached +
      usage.completion_tokens * price.output) /
    1e6
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
