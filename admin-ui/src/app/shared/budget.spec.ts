import type { GenerationEstimate } from '@contracts/api';

import {
  JOB_CAP_RULES,
  SETTING_RULES,
  estimateSource,
  estimateText,
  parseUsd,
  tokensText,
  usdSetting,
} from './budget';

const estimate = (overrides: Partial<GenerationEstimate> = {}): GenerationEstimate => ({
  model_calls: 20,
  prompt_tokens: 40_000,
  completion_tokens: 8_200,
  cost_usd: 0.0312,
  minutes: 1.6,
  from_history: true,
  ...overrides,
});

describe('estimateText', () => {
  it('reads calls, tokens, cost and minutes on one line', () => {
    expect(estimateText(estimate())).toBe('≈ 20 model calls · ≈ 48k tokens · ≈ $0.03 · ≈ 2 min');
  });

  it('says "cost unknown" when the model has no known price, never a made-up amount', () => {
    expect(estimateText(estimate({ cost_usd: null }))).toContain('· cost unknown ·');
  });

  it('says one model call, below a cent and under a minute plainly', () => {
    expect(estimateText(estimate({ model_calls: 1, cost_usd: 0.0004, minutes: 0.2 }))).toBe(
      '≈ 1 model call · ≈ 48k tokens · ≈ < $0.01 · < 1 min',
    );
  });

  it('shows a free model as $0.00', () => {
    expect(estimateText(estimate({ cost_usd: 0 }))).toContain('≈ $0.00');
  });
});

describe('estimateSource', () => {
  it('tells earlier runs from the built-in rough defaults', () => {
    expect(estimateSource({ from_history: true })).toBe('(from earlier runs)');
    expect(estimateSource({ from_history: false })).toBe('(rough: no history yet)');
  });
});

describe('tokensText', () => {
  it('rounds to thousands and millions', () => {
    expect(tokensText(950)).toBe('950');
    expect(tokensText(1_460)).toBe('1.5k');
    expect(tokensText(2_000)).toBe('2k');
    expect(tokensText(48_123)).toBe('48k');
    expect(tokensText(2_300_000)).toBe('2.3M');
  });
});

describe('usdSetting', () => {
  it('shows an amount in dollars and cents, a cap below a cent unrounded, null as none', () => {
    expect(usdSetting(50)).toBe('$50.00');
    expect(usdSetting(0.001)).toBe('$0.001');
    expect(usdSetting(null)).toBe('none');
  });
});

describe('parseUsd', () => {
  describe('for a job cost cap', () => {
    it('takes empty as no cap', () => {
      expect(parseUsd('  ', JOB_CAP_RULES)).toEqual({ value: null, error: null });
    });

    it('takes a positive amount with up to 6 decimals', () => {
      expect(parseUsd('0.000001', JOB_CAP_RULES)).toEqual({ value: 0.000001, error: null });
      expect(parseUsd('2.5', JOB_CAP_RULES)).toEqual({ value: 2.5, error: null });
    });

    it('refuses zero, text, too many decimals and more than the API takes', () => {
      expect(parseUsd('0', JOB_CAP_RULES).error).toBe('Enter an amount above $0');
      expect(parseUsd('-1', JOB_CAP_RULES).error).toBe('Enter an amount in USD, e.g. 2.50');
      expect(parseUsd('abc', JOB_CAP_RULES).error).toBe('Enter an amount in USD, e.g. 2.50');
      expect(parseUsd('0.0000001', JOB_CAP_RULES).error).toBe('Use at most 6 decimals');
      expect(parseUsd('1000001', JOB_CAP_RULES).error).toBe('Enter at most $1,000,000');
    });

    it('refuses a new cap that is not above what the job has spent', () => {
      const rules = { ...JOB_CAP_RULES, above: { usd: 0.4, what: 'what the job has spent' } };
      expect(parseUsd('0.40', rules).error).toBe('Enter more than what the job has spent ($0.4000)');
      expect(parseUsd('0.41', rules)).toEqual({ value: 0.41, error: null });
    });
  });

  describe('for a setting', () => {
    it('wants at least a cent, in cents', () => {
      expect(parseUsd('0.001', SETTING_RULES).error).toBe('Use at most 2 decimals');
      expect(parseUsd('0.00', SETTING_RULES).error).toBe('Enter at least $0.01');
      expect(parseUsd('50', SETTING_RULES)).toEqual({ value: 50, error: null });
    });
  });
});
