/**
 * A model cost for people (docs/costs.md, "Unknown prices"): "$0.0123"; "unknown" when nothing priced is known;
 * "≥ $0.0123" when some calls were unpriced (the true cost is higher) — never a made-up number.
 */
export function formatCost(usd: number | null | undefined, unpricedCalls = 0): string {
  if (usd === null || usd === undefined) {
    return 'unknown';
  }
  const amount = `$${usdText(usd)}`;
  return unpricedCalls > 0 ? `≥ ${amount}` : amount;
}

/** Four significant decimals for small sums (model calls cost fractions of a cent), two above $10. */
function usdText(usd: number): string {
  if (usd === 0) {
    return '0.00';
  }
  if (usd >= 10) {
    return usd.toFixed(2);
  }
  if (usd >= 0.01) {
    return usd.toFixed(4);
  }
  return usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** The tooltip of a cost with unpriced calls. */
export function unpricedNote(unpricedCalls: number): string {
  return unpricedCalls > 0
    ? `${unpricedCalls} model call${unpricedCalls === 1 ? '' : 's'} at an unknown price (not included)`
    : '';
}
