import { BUDGET_MAX_USD, type GenerationEstimate } from '@contracts/api';

import { formatCost } from './cost';

/**
 * Budgets and estimates for people (docs/costs.md, "Budgets and estimates"): an estimate on one line, and the
 * parsing of the optional USD amounts (job cost caps, the organization's budgets) typed into the console.
 */

/** "≈ 20 model calls · ≈ 48k tokens · ≈ $0.03 · ≈ 2 min"; "cost unknown" when the model's price is unknown. */
export function estimateText(estimate: GenerationEstimate): string {
  const calls = estimate.model_calls === 1 ? '1 model call' : `${estimate.model_calls} model calls`;
  return [
    `≈ ${calls}`,
    `≈ ${tokensText(estimate.prompt_tokens + estimate.completion_tokens)} tokens`,
    estimate.cost_usd === null ? 'cost unknown' : `≈ ${usdRough(estimate.cost_usd)}`,
    minutesText(estimate.minutes),
  ].join(' · ');
}

/** Where the token figures come from: this organization's earlier runs, or built-in defaults. */
export function estimateSource(estimate: Pick<GenerationEstimate, 'from_history'>): string {
  return estimate.from_history ? '(from earlier runs)' : '(rough: no history yet)';
}

/** 950 → "950", 48_123 → "48k", 1_450 → "1.5k", 2_300_000 → "2.3M". */
export function tokensText(tokens: number): string {
  if (tokens < 1000) {
    return String(Math.round(tokens));
  }
  if (tokens < 1_000_000) {
    const k = tokens / 1000;
    return `${k < 10 ? trim(k.toFixed(1)) : Math.round(k)}k`;
  }
  const m = tokens / 1_000_000;
  return `${m < 10 ? trim(m.toFixed(1)) : Math.round(m)}M`;
}

/** A rough amount: cents are enough for an estimate ("$0.03"), below a cent "< $0.01". */
function usdRough(usd: number): string {
  if (usd === 0) {
    return '$0.00';
  }
  return usd < 0.01 ? '< $0.01' : `$${usd.toFixed(2)}`;
}

function minutesText(minutes: number): string {
  return minutes < 1 ? '< 1 min' : `≈ ${Math.round(minutes)} min`;
}

function trim(fixed: string): string {
  return fixed.replace(/\.0$/, '');
}

/** "$1.50" for a cap or budget, "$0.001" for one below a cent (never rounded to $0.00), "none" for null. */
export function usdSetting(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) {
    return 'none';
  }
  return Number(usd.toFixed(2)) === usd ? `$${usd.toFixed(2)}` : `$${usd}`;
}

export interface ParsedAmount {
  /** The amount; null when the field is empty (= none / keep). */
  readonly value: number | null;
  /** Why the text is refused; null when it is fine. */
  readonly error: string | null;
}

export interface AmountRules {
  /** The smallest amount allowed (inclusive), e.g. 0.01; without it anything above 0. */
  readonly min?: number;
  /** Decimal places allowed (the API refuses more). */
  readonly decimals: number;
  /** Must be above this (a new cap above the spend); message names it. */
  readonly above?: { readonly usd: number; readonly what: string };
}

/** The job cost cap's rules: the API takes any positive amount with up to 6 decimals. */
export const JOB_CAP_RULES: AmountRules = { decimals: 6 };
/** The settings' rules: cents, at least $0.01 (docs/costs.md). */
export const SETTING_RULES: AmountRules = { min: 0.01, decimals: 2 };

/** Parses an optional USD amount as typed; empty is fine (null). Messages say what to type instead. */
export function parseUsd(text: string, rules: AmountRules): ParsedAmount {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { value: null, error: null };
  }
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === '.') {
    return { value: null, error: 'Enter an amount in USD, e.g. 2.50' };
  }
  const value = Number(trimmed);
  const decimals = trimmed.includes('.') ? trimmed.split('.')[1].length : 0;
  if (decimals > rules.decimals) {
    return { value: null, error: `Use at most ${rules.decimals} decimals` };
  }
  if (rules.min !== undefined ? value < rules.min : value <= 0) {
    return {
      value: null,
      error: rules.min !== undefined ? `Enter at least $${rules.min.toFixed(2)}` : 'Enter an amount above $0',
    };
  }
  if (value > BUDGET_MAX_USD) {
    return { value: null, error: `Enter at most $${BUDGET_MAX_USD.toLocaleString('en-US')}` };
  }
  if (rules.above && value <= rules.above.usd) {
    return { value: null, error: `Enter more than ${rules.above.what} (${formatCost(rules.above.usd)})` };
  }
  return { value, error: null };
}
