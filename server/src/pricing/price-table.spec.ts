import { calcPrice } from '@pydantic/genai-prices';
import { ConfigError, loadConfig } from '../config/app-config';
import { parseLlmPrices } from './llm-prices';
import { PriceTable, roundUsd } from './price-table';

const table = (env: Record<string, string>) => new PriceTable(loadConfig(env));
const openAi = (env: Record<string, string> = {}) =>
  table({
    LLM_PROVIDER: 'openai-compatible',
    LLM_BASE_URL: 'https://api.openai.com/v1',
    LLM_MODEL: 'gpt-4o-mini',
    ...env,
  });
const usage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 };

describe('PriceTable', () => {
  describe('LLM_PRICES', () => {
    it('parses model=input/output[/cached] entries, model names with / and :', () => {
      const prices = parseLlmPrices(' my-model=0.15/0.60, meta-llama/llama-3.1-8b=1/2/0.1 ,llama3:8b=0/0');
      expect(prices).toEqual(
        new Map([
          ['my-model', { input: 0.15, output: 0.6, cached: 0.15 }],
          ['meta-llama/llama-3.1-8b', { input: 1, output: 2, cached: 0.1 }],
          ['llama3:8b', { input: 0, output: 0, cached: 0 }],
        ]),
      );
      expect(parseLlmPrices(undefined)).toEqual(new Map());
    });

    it.each(['my-model', 'my-model=0.15', 'my-model=a/b', '=1/2', 'm=1/2/3/4', 'm=-1/2'])(
      'refuses "%s" at start-up, naming the entry',
      (entry) => {
        expect(() => loadConfig({ LLM_PRICES: entry })).toThrow(ConfigError);
        expect(() => loadConfig({ LLM_PRICES: entry })).toThrow(`LLM_PRICES entry "${entry.trim()}"`);
      },
    );

    it('refuses a model named twice', () => {
      expect(() => loadConfig({ LLM_PRICES: 'm=1/2,m=3/4' })).toThrow('LLM_PRICES names "m" twice');
    });

    it('prices a named model by the override, over the bundled data', () => {
      const prices = openAi({ LLM_PRICES: 'gpt-4o-mini=2/8' });
      expect(prices.cost({ prompt_tokens: 1234, completion_tokens: 567 }, 'gpt-4o-mini')).toBe(0.007004);
    });

    it('prices cached tokens at the cached rate (the input rate when none is given)', () => {
      const withRate = openAi({ LLM_PRICES: 'm=2/8/0.5' });
      // (1000 − 400) × 2 + 400 × 0.5 + 100 × 8 = 2,200 per million
      expect(
        withRate.cost({ prompt_tokens: 1000, completion_tokens: 100, cached_prompt_tokens: 400 }, 'm'),
      ).toBe(0.0022);
      const without = openAi({ LLM_PRICES: 'm=2/8' });
      expect(
        without.cost({ prompt_tokens: 1000, completion_tokens: 100, cached_prompt_tokens: 400 }, 'm'),
      ).toBe(0.0028);
    });

    it('matches the configured model when the provider answers with a dated id', () => {
      const prices = openAi({ LLM_MODEL: 'house-model', LLM_PRICES: 'house-model=1/1' });
      expect(prices.cost(usage, 'house-model-2026-01-01', 'lessons')).toBe(2);
    });
  });

  it('the sample provider is free', () => {
    expect(table({}).cost(usage, 'sample-v1', 'lessons')).toBe(0);
  });

  describe('a local model (loopback base URL)', () => {
    it.each(['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8000/v1'])(
      'is free at %s',
      (url) => {
        expect(openAi({ LLM_BASE_URL: url, LLM_MODEL: 'gpt-4o-mini' }).cost(usage, 'gpt-4o-mini')).toBe(0);
      },
    );

    it('is priced when LLM_PRICES names it', () => {
      const prices = openAi({ LLM_BASE_URL: 'http://localhost:11434/v1', LLM_PRICES: 'llama3.1=0.1/0.2' });
      expect(prices.cost(usage, 'llama3.1')).toBe(0.3);
    });
  });

  describe('bundled prices (@pydantic/genai-prices)', () => {
    it('prices a known OpenAI model, cached tokens at its cache-read rate', () => {
      const tokens = { prompt_tokens: 10_000, completion_tokens: 2_000, cached_prompt_tokens: 4_000 };
      const expected = calcPrice(
        { input_tokens: 10_000, output_tokens: 2_000, cache_read_tokens: 4_000 },
        'gpt-4o-mini',
      )!.total_price;
      const cost = openAi().cost(tokens, 'gpt-4o-mini');
      expect(cost).toBe(roundUsd(expected));
      expect(cost).toBeLessThan(openAi().cost({ ...tokens, cached_prompt_tokens: 0 }, 'gpt-4o-mini')!);
    });

    it('prices a Claude model with the anthropic provider', () => {
      const prices = table({ LLM_PROVIDER: 'anthropic', LLM_API_KEY: 'k', LLM_MODEL: 'claude-sonnet-4-5' });
      const expected = calcPrice({ input_tokens: 1000, output_tokens: 1000 }, 'claude-sonnet-4-5', {
        providerId: 'anthropic',
      })!.total_price;
      expect(prices.cost({ prompt_tokens: 1000, completion_tokens: 1000 }, 'claude-sonnet-4-5')).toBe(
        roundUsd(expected),
      );
      expect(expected).toBeGreaterThan(0);
    });

    it('an unknown model has an unknown price: null, never a guess', () => {
      expect(openAi().cost(usage, 'no-such-model-anywhere')).toBeNull();
      const other = openAi({ LLM_BASE_URL: 'https://llm.internal.example/v1', LLM_MODEL: 'house-model' });
      expect(other.cost(usage, 'house-model', 'lessons')).toBeNull();
    });
  });

  it('rounds to 6 decimals, the precision of the stored cost', () => {
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(openAi({ LLM_PRICES: 'm=0.15/0.6' }).cost({ prompt_tokens: 1, completion_tokens: 1 }, 'm')).toBe(
      0.000001,
    );
  });
});
