import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { UsageReport, UsageSums } from '@contracts/api';

import { series } from './usage-chart';
import { currentMonth, UsagePage } from './usage-page';

const sums = (calls: number, cost_usd: number | null, unpriced_calls = 0): UsageSums => ({
  calls,
  prompt_tokens: calls * 1000,
  completion_tokens: calls * 200,
  cached_tokens: 0,
  cost_usd,
  unpriced_calls,
});

const REPORT: UsageReport = {
  month: '2026-11',
  totals: sums(5, 0.0123, 1),
  by_model: [
    { model: 'gpt-4o-mini', ...sums(4, 0.0123) },
    { model: 'house-model', ...sums(1, null, 1) },
  ],
  by_user: [
    { user_id: 'u1', email: 'ada@example.com', ...sums(4, 0.01) },
    { user_id: null, email: null, ...sums(1, 0.0023, 1) },
  ],
  by_job_type: [
    { job_type: 'course_generation', ...sums(4, 0.01) },
    { job_type: null, ...sums(1, 0.0023, 1) },
  ],
  by_day: [
    { day: '2026-11-02', ...sums(2, 0.005) },
    { day: '2026-11-30', ...sums(3, 0.0073, 1) },
  ],
};

describe('UsagePage', () => {
  let fixture: ComponentFixture<UsagePage>;
  let http: HttpTestingController;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = (selector: string): string[] =>
    [...el().querySelectorAll(selector)].map((n) => n.textContent!.replace(/\s+/g, ' ').trim());

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(UsagePage);
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  const answer = async (report: UsageReport, month = currentMonth()): Promise<void> => {
    http.expectOne(`/api/admin/usage?month=${month}`).flush(report);
    await fixture.whenStable();
    fixture.detectChanges();
  };

  it('asks for the current month and shows its totals, the unknown part as a lower bound', async () => {
    await answer(REPORT);
    expect(text('[data-testid="usage-calls"]')).toEqual(['5']);
    expect(text('[data-testid="usage-cost"]')).toEqual(['≥ $0.0123']);
  });

  it('lists the month by model, by user and by job type, an unknown price as "unknown"', async () => {
    await answer(REPORT);
    expect(text('[data-testid="usage-by-model"] [data-testid="usage-row-name"]')).toEqual([
      'gpt-4o-mini',
      'house-model',
    ]);
    expect(text('[data-testid="usage-by-model"] [data-testid="usage-row-cost"]')).toEqual([
      '$0.0123',
      'unknown',
    ]);
    expect(text('[data-testid="usage-by-user"] [data-testid="usage-row-name"]')).toEqual([
      'ada@example.com',
      '(deleted user)',
    ]);
    expect(text('[data-testid="usage-by-job-type"] [data-testid="usage-row-name"]')).toEqual([
      'course generation',
      'synchronous (outlines, manual)',
    ]);
    expect(el().querySelector('[data-testid="usage-chart"]')).not.toBeNull();
  });

  it('moves to the previous month and says when it had no calls', async () => {
    await answer(REPORT);
    (el().querySelector('[data-testid="usage-previous"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    const [year, m] = currentMonth().split('-').map(Number);
    const previous = currentMonth(new Date(Date.UTC(year, m - 2, 1)));
    await answer(
      {
        ...REPORT,
        month: previous,
        totals: sums(0, 0),
        by_model: [],
        by_user: [],
        by_job_type: [],
        by_day: [],
      },
      previous,
    );
    expect(text('[data-testid="usage-empty"]')).toEqual([`No model calls in ${previous}.`]);
  });
});

describe('the usage chart’s series', () => {
  it('has every day of the month, zero where there were no calls', () => {
    const s = series('2026-11', REPORT.by_day);
    expect(s.labels).toHaveLength(30);
    expect(s.calls[1]).toBe(2);
    expect(s.cost[29]).toBe(0.0073);
    expect(s.calls[0]).toBe(0);
    expect(series('2028-02', []).labels).toHaveLength(29);
  });
});
