import { formatCost, unpricedNote } from './cost';

describe('formatCost', () => {
  it('shows dollars with enough decimals for model-call sums', () => {
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.00456)).toBe('$0.0046');
    expect(formatCost(0.0000015)).toBe('$0.0000015');
    expect(formatCost(12.3456)).toBe('$12.35');
  });

  it('says "unknown" for an unknown price, never a number', () => {
    expect(formatCost(null)).toBe('unknown');
    expect(formatCost(undefined, 3)).toBe('unknown');
  });

  it('marks a known sum with unpriced calls as a lower bound', () => {
    expect(formatCost(0.5, 2)).toBe('≥ $0.5000');
    expect(unpricedNote(2)).toBe('2 model calls at an unknown price (not included)');
    expect(unpricedNote(0)).toBe('');
  });
});
