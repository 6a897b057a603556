/** One model's prices from LLM_PRICES, USD per million tokens (docs/costs.md, "LLM_PRICES"). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Prompt tokens served from the provider's cache; the input price when not given. */
  cached: number;
}

const PRICE = /^\d+(\.\d+)?$/;

/**
 * Parses LLM_PRICES: `model=input/output[/cached]`, comma-separated, e.g. `my-model=0.15/0.60,other=1/2/0.1`.
 * A model name may hold `/` and `:` (`meta-llama/llama-3.1-8b`, `llama3:8b`): the price part is what follows the
 * last `=`. Returns the prices by model, or the problems, each naming the bad entry.
 */
export function parseLlmPrices(value: string | undefined): Map<string, ModelPrice> | { problems: string[] } {
  const prices = new Map<string, ModelPrice>();
  const problems: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const at = entry.lastIndexOf('=');
    const model = at > 0 ? entry.slice(0, at).trim() : '';
    const parts =
      at > 0
        ? entry
            .slice(at + 1)
            .split('/')
            .map((p) => p.trim())
        : [];
    if (!model || parts.length < 2 || parts.length > 3 || !parts.every((p) => PRICE.test(p))) {
      problems.push(
        `LLM_PRICES entry "${entry}" must look like model=input/output[/cached], in USD per million tokens (e.g. my-model=0.15/0.60)`,
      );
      continue;
    }
    if (prices.has(model)) {
      problems.push(`LLM_PRICES names "${model}" twice`);
      continue;
    }
    const [input, output, cached] = parts.map(Number);
    prices.set(model, { input, output, cached: cached ?? input });
  }
  return problems.length ? { problems } : prices;
}
