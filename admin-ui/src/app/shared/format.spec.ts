import { clockTime, formatDuration, relativeTime } from './format';

describe('relativeTime', () => {
  const now = Date.parse('2024-01-13T12:00:00Z');
  const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString();

  it.each([
    [ago(5), 'just now'],
    [ago(44), 'just now'],
    [ago(60), '1 min ago'],
    [ago(120), '2 min ago'],
    [ago(59 * 60), '59 min ago'],
    [ago(3600), '1 hr ago'],
    [ago(2 * 3600 + 1800), '2 hr ago'],
    [ago(24 * 3600), '1 day ago'],
    [ago(3 * 24 * 3600), '3 days ago'],
  ])('%s → %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });

  it('shows "--" when there is no date, and never a negative age for clock skew', () => {
    expect(relativeTime(null, now)).toBe('--');
    expect(relativeTime('not a date', now)).toBe('--');
    expect(relativeTime(new Date(now + 30_000).toISOString(), now)).toBe('just now');
  });
});

describe('formatDuration', () => {
  it.each([
    [272, '4m 32s'],
    [45, '45s'],
    [0, '0s'],
    [60, '1m 0s'],
    [3725, '1h 02m'],
    [null, '--'],
    [undefined, '--'],
    [-1, '--'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('clockTime', () => {
  it('formats a time of day with two digits per part', () => {
    const date = new Date(2024, 0, 13, 9, 5, 7);
    expect(clockTime(date)).toBe('09:05:07');
    expect(clockTime(date.toISOString())).toBe('09:05:07');
  });
});
