import { provideHttpClient } from '@angular/common/http';
import type { HttpRequest } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Router, provideRouter } from '@angular/router';
import { BehaviorSubject, of } from 'rxjs';

import type { ConfirmData } from '../shared/confirm-dialog';
import { PAGE_VISIBLE } from '../shared/page-visibility';
import {
  aCompletedJob,
  aJob,
  aJobDetail,
  aJobList,
  aLogEntry,
  aRegenerationJob,
  stepCounts,
} from '../testing/builders';
import { QueuePage, SEARCH_DEBOUNCE_MS } from './queue-page';
import type { ResumeDialogData } from './resume-dialog';
import { ProviderInfoStore } from '../shared/provider-info';
import { SAMPLE_PROVIDER_TEXT } from '../shared/sample-provider-note';

const JOBS = '/api/admin/curriculum/generate/jobs';

describe('QueuePage', () => {
  let fixture: ComponentFixture<QueuePage>;
  let http: HttpTestingController;
  let confirmAnswer: boolean;
  let asked: ConfirmData[];

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string, root: ParentNode = el()): HTMLElement | null =>
    root.querySelector(`[data-testid="${id}"]`);
  const allByTestId = (id: string): HTMLElement[] =>
    Array.from(el().querySelectorAll(`[data-testid="${id}"]`));
  const text = (node: Element | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const row = (id: string): HTMLElement => {
    const found = byTestId(`job-row-${id}`);
    if (!found) throw new Error(`no row for ${id}`);
    return found;
  };
  const isList = (status: string | null) => (req: HttpRequest<unknown>) =>
    req.url === JOBS && req.params.get('status') === status;
  const render = (): void => fixture.detectChanges();
  /** Lets promises (a confirmation, a navigation) settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    render();
  };

  const JOBS_FIXTURE = [
    aJob({
      id: 'j-lessons',
      course_title: 'Build Board Games',
      started_at: new Date(Date.now() - 120_000).toISOString(),
    }),
    aJob({
      id: 'j-tasks',
      course_title: 'Cooking Mastery',
      status: 'generating_tasks',
      current_step: 'tasks',
      items_completed: 8,
      items_total: 12,
    }),
    aCompletedJob({ id: 'j-done', course_title: 'Woodworking 101', course_id: 'c-wood', cost_usd: 0.0123 }),
    aJob({
      id: 'j-failed',
      course_title: 'Guitar Basics',
      status: 'failed',
      failed_step: 'lessons',
      error_message: 'The model timed out after 3 attempts',
      step_counts: stepCounts({ succeeded: 1, failed: 1, cancelled: 2 }),
    }),
    aJob({ id: 'j-queued', course_title: 'Pottery', status: 'pending', items_completed: 0, items_total: 0 }),
  ];

  const sampleProvider = signal(true);

  beforeEach(() => {
    confirmAnswer = true;
    asked = [];
    sampleProvider.set(true);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PAGE_VISIBLE, useValue: new BehaviorSubject(true) },
        {
          provide: MatDialog,
          useValue: {
            open: (_: unknown, config: { data: ConfirmData }) => {
              asked.push(config.data);
              return { afterClosed: () => of(confirmAnswer) };
            },
          },
        },
        { provide: ProviderInfoStore, useValue: { sample: sampleProvider } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(QueuePage);
    render();
  });

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  const loadFixture = (): void => {
    http.expectOne(isList(null)).flush(aJobList(JOBS_FIXTURE));
    render();
  };

  it('shows a loading state, then the plan’s table', () => {
    expect(byTestId('queue-loading')).not.toBeNull();
    loadFixture();
    expect(byTestId('queue-loading')).toBeNull();
    const headers = Array.from(el().querySelectorAll('th')).map((th) => text(th));
    expect(headers).toEqual([
      '',
      'Course Title',
      'Status',
      'Progress',
      'Started',
      'Duration',
      'Cost',
      'Actions',
    ]);
    expect(text(byTestId('job-title', row('j-lessons')))).toBe('Build Board Games');
    expect(row('j-done').getAttribute('data-course-title')).toBe('Woodworking 101');
  });

  it('shows each job’s cost, "unknown" when no call had a known price', () => {
    http
      .expectOne(isList(null))
      .flush(
        aJobList([
          ...JOBS_FIXTURE,
          aCompletedJob({ id: 'j-unpriced', course_id: 'c-u', cost_usd: null, unpriced_calls: 4 }),
        ]),
      );
    render();
    expect(text(byTestId('job-cost', row('j-done')))).toBe('$0.0123');
    expect(text(byTestId('job-cost', row('j-unpriced')))).toBe('unknown');
  });

  it('says under each course title what the job does: a generation, or the part a regeneration rewrites', () => {
    http
      .expectOne(isList(null))
      .flush(aJobList([aJob({ id: 'j-gen' }), aRegenerationJob({ id: 'j-regen', status: 'pending' })]));
    render();
    expect(text(byTestId('job-type', row('j-gen')))).toBe('Course generation');
    expect(text(byTestId('job-type', row('j-regen')))).toBe(
      'Regeneration: tasks of “Understanding Game Mechanics”',
    );
  });

  it('renders badges with the plan’s labels and colours', () => {
    loadFixture();
    const badge = (id: string) => byTestId('job-status', row(id));
    expect(text(badge('j-lessons'))).toBe('Generating Lessons');
    expect(badge('j-lessons')?.classList).toContain('badge-blue');
    expect(text(badge('j-tasks'))).toBe('Generating Tasks');
    expect(text(badge('j-done'))).toBe('Completed');
    expect(badge('j-done')?.classList).toContain('badge-green');
    expect(text(badge('j-failed'))).toBe('Failed');
    expect(badge('j-failed')?.classList).toContain('badge-red');
    expect(text(badge('j-queued'))).toBe('Queued');
    expect(badge('j-queued')?.classList).toContain('badge-grey');
  });

  it('renders progress, started and duration like the plan', () => {
    loadFixture();
    const cell = (id: string, testId: string) => text(byTestId(testId, row(id)));
    expect(cell('j-lessons', 'job-progress')).toBe('3/5 projects');
    expect(cell('j-tasks', 'job-progress')).toBe('8/12 lessons');
    expect(cell('j-done', 'job-progress')).toBe('Done');
    expect(cell('j-failed', 'job-progress')).toBe('--');
    expect(cell('j-lessons', 'job-started')).toBe('2 min ago');
    expect(cell('j-lessons', 'job-duration')).toBe('--');
    expect(cell('j-done', 'job-duration')).toBe('4m 32s');
    expect(byTestId('job-progress-bar', row('j-lessons'))).not.toBeNull();
    expect(byTestId('job-progress-bar', row('j-failed'))).toBeNull();
  });

  it('offers Cancel on active jobs, Retry on failed ones and View Course on completed ones', () => {
    loadFixture();
    const actions = (id: string) =>
      ['job-cancel', 'job-retry', 'job-view-course'].filter((testId) => byTestId(testId, row(id)));
    expect(actions('j-lessons')).toEqual(['job-cancel']);
    expect(actions('j-queued')).toEqual(['job-cancel']);
    expect(actions('j-failed')).toEqual(['job-retry']);
    expect(actions('j-done')).toEqual(['job-view-course']);
    expect(byTestId('job-view-course', row('j-done'))?.getAttribute('href')).toBe('/courses/c-wood');
    expect(byTestId('queue-new-course')?.getAttribute('href')).toBe('/courses/new');
  });

  it('cancels after confirmation and shows the new status', async () => {
    loadFixture();
    byTestId('job-cancel', row('j-lessons'))?.click();
    await settle();
    http.expectOne({ method: 'POST', url: `${JOBS}/j-lessons/cancel` }).flush({ success: true });
    http.expectOne(`${JOBS}/j-lessons`).flush(aJobDetail({ ...JOBS_FIXTURE[0], status: 'cancelled' }));
    render();
    expect(text(byTestId('job-status', row('j-lessons')))).toBe('Cancelled');
  });

  it('does nothing when the cancel is not confirmed', async () => {
    loadFixture();
    confirmAnswer = false;
    byTestId('job-cancel', row('j-lessons'))?.click();
    await settle();
    http.expectNone(`${JOBS}/j-lessons/cancel`);
  });

  describe('a paused job', () => {
    const paused = aJob({
      id: 'j-paused',
      course_title: 'Candle Making',
      status: 'paused',
      cost_usd: 0.21,
      max_cost_usd: 0.2,
      pause_reason: 'Reached its cost cap of $0.20 ($0.21 spent)',
    });
    const loadPaused = (): void => {
      http.expectOne(isList(null)).flush(aJobList([paused, ...JOBS_FIXTURE]));
      render();
    };

    it('shows the amber Paused badge and the reason under it', () => {
      loadPaused();
      const badge = byTestId('job-status', row('j-paused'));
      expect(text(badge)).toBe('Paused');
      expect(badge?.classList).toContain('badge-amber');
      expect(text(byTestId('job-pause-reason', row('j-paused')))).toBe(
        'Reached its cost cap of $0.20 ($0.21 spent)',
      );
      expect(byTestId('job-pause-reason', row('j-lessons'))).toBeNull();
    });

    it('offers Resume and Cancel, and Resume only on paused jobs', () => {
      loadPaused();
      const actions = (id: string) =>
        ['job-resume', 'job-cancel', 'job-retry'].filter((testId) => byTestId(testId, row(id)));
      expect(actions('j-paused')).toEqual(['job-resume', 'job-cancel']);
      expect(actions('j-lessons')).toEqual(['job-cancel']);
    });

    it('Resume opens the dialog for the job; resuming posts the new cap and shows the job queued again', () => {
      loadPaused();
      byTestId('job-resume', row('j-paused'))?.click();
      const data = asked.at(-1) as unknown as ResumeDialogData;
      expect(data.job).toMatchObject({ course_title: 'Candle Making', max_cost_usd: 0.2 });
      data.resume(1.5).subscribe();
      const request = http.expectOne({ method: 'POST', url: `${JOBS}/j-paused/resume` });
      expect(request.request.body).toEqual({ max_cost_usd: 1.5 });
      request.flush({ success: true });
      http
        .expectOne(`${JOBS}/j-paused`)
        .flush(aJobDetail({ ...paused, status: 'pending', pause_reason: null }));
      render();
      expect(text(byTestId('job-status', row('j-paused')))).toBe('Queued');
      expect(byTestId('job-resume', row('j-paused'))).toBeNull();
    });
  });

  it('links each course title to its job page', () => {
    loadFixture();
    expect(byTestId('job-title', row('j-failed'))?.getAttribute('href')).toBe(
      '/course-generation-queue/j-failed',
    );
  });

  it('shows a failed job’s step and message under its status, whole in a tooltip', () => {
    loadFixture();
    const error = byTestId('job-row-error', row('j-failed'));
    expect(text(error)).toBe('Writing lessons: The model timed out after 3 attempts');
    expect(error?.classList).toContain('row-error');
    expect(byTestId('job-row-error', row('j-lessons'))).toBeNull();
  });

  it('retries a failed job after a confirmation that says how many steps run again', async () => {
    loadFixture();
    byTestId('job-retry', row('j-failed'))?.click();
    await settle();
    expect(asked.map((data) => data.message)).toEqual([
      expect.stringContaining('Retry “Guitar Basics”? At least 3 steps will run again'),
    ]);
    http.expectOne({ method: 'POST', url: `${JOBS}/j-failed/retry` }).flush({ success: true });
    http.expectOne(`${JOBS}/j-failed`).flush(aJobDetail({ ...JOBS_FIXTURE[3], status: 'pending' }));
    render();
    expect(text(byTestId('job-status', row('j-failed')))).toBe('Queued');
  });

  it('does not retry when the confirmation is declined', async () => {
    loadFixture();
    confirmAnswer = false;
    byTestId('job-retry', row('j-failed'))?.click();
    await settle();
    http.expectNone(`${JOBS}/j-failed/retry`);
  });

  it('expands a log viewer with timestamps, coloured levels and the error of a failed job', () => {
    loadFixture();
    byTestId('job-logs-toggle', row('j-failed'))?.click();
    http
      .expectOne(`${JOBS}/j-failed`)
      .flush(
        aJobDetail(JOBS_FIXTURE[3], [
          aLogEntry({ message: 'Starting course generation job' }),
          aLogEntry({ level: 'warning', message: 'Retrying (attempt 2/3)' }),
          aLogEntry({ level: 'error', message: 'The model timed out' }),
        ]),
      );
    render();
    const lines = allByTestId('log-line');
    expect(lines.map((line) => text(byTestId('log-level', line)))).toEqual([
      '[INFO]',
      '[WARNING]',
      '[ERROR]',
    ]);
    expect(lines[2].classList).toContain('level-error');
    expect(text(lines[0])).toMatch(/^\d\d:\d\d:\d\d \[INFO\] Starting course generation job$/);
    expect(text(byTestId('job-error'))).toContain('The model timed out after 3 attempts');

    byTestId('job-logs-toggle', row('j-failed'))?.click();
    render();
    expect(allByTestId('log-line')).toHaveLength(0);
  });

  it('filters: asks the API for the chosen status', async () => {
    loadFixture();
    byTestId('queue-filter-failed')?.querySelector('button')?.click();
    await settle();
    http.expectOne(isList('failed')).flush(aJobList([]));
    render();
    expect(text(byTestId('queue-empty'))).toContain('No failed jobs');
  });

  it('shows when it last updated, that it is refreshing, and a failed refresh', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      fixture.destroy();
      fixture = TestBed.createComponent(QueuePage);
      render();
      http
        .match(isList(null))
        .filter((req) => !req.cancelled)
        .forEach((req) => req.flush(aJobList(JOBS_FIXTURE)));
      render();
      expect(text(byTestId('queue-last-updated'))).toMatch(/^Last updated \d\d:\d\d:\d\d$/);
      expect(byTestId('queue-live')).not.toBeNull();
      // A space separates the two (Angular drops the whitespace between the elements).
      expect(byTestId('queue-last-updated')?.parentElement?.textContent).toMatch(
        /^\s*Last updated \d\d:\d\d:\d\d · refreshing every 3 s\s*$/,
      );

      vi.advanceTimersByTime(3000);
      http
        .expectOne(isList('active'))
        .flush(
          { statusCode: 503, message: 'Service Unavailable', error: 'Service Unavailable' },
          { status: 503, statusText: 'Service Unavailable' },
        );
      render();
      expect(text(byTestId('queue-refresh-error'))).toContain('Service Unavailable');
      expect(row('j-lessons')).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows an empty state and an error state with a retry', () => {
    http.expectOne(isList(null)).error(new ProgressEvent('error'));
    render();
    expect(text(byTestId('queue-error'))).toContain('unreachable');
    byTestId('queue-reload')?.click();
    http.expectOne(isList(null)).flush(aJobList([]));
    render();
    expect(text(byTestId('queue-empty'))).toContain('No generation jobs yet');
  });

  it('labels the offline sample generator, and only it', () => {
    http.expectOne(isList(null)).flush(aJobList(JOBS_FIXTURE));
    render();
    expect(fixture.nativeElement.querySelector('[data-testid="sample-provider-note"]')?.textContent).toBe(
      SAMPLE_PROVIDER_TEXT,
    );
    sampleProvider.set(false);
    render();
    expect(fixture.nativeElement.querySelector('[data-testid="sample-provider-note"]')).toBeNull();
  });

  describe('at scale: the view in the URL, paging, search and bulk actions', () => {
    const url = (): string => TestBed.inject(Router).url;
    const lastList = (): HttpRequest<unknown> => {
      const requests = http.match((req) => req.url === JOBS && req.method === 'GET');
      expect(requests.length).toBeGreaterThan(0);
      const last = requests.at(-1)!;
      last.flush(aJobList(JOBS_FIXTURE, 120));
      return last.request;
    };

    it('loads the view a shared link names: status, search, job type, user, dates and page', async () => {
      http.expectOne(isList(null)).flush(aJobList(JOBS_FIXTURE));
      await TestBed.inject(Router).navigateByUrl(
        '/?status=failed&search=board&job_type=course_regeneration&user=anyone&from=2026-03-01&to=2026-03-31&page=3&page_size=25',
      );
      await settle();
      const params = lastList().params;
      expect(
        ['status', 'search', 'job_type', 'scope', 'from', 'to', 'page', 'page_size'].map((k) =>
          params.get(k),
        ),
      ).toEqual([
        'failed',
        'board',
        'course_regeneration',
        'organization',
        '2026-03-01',
        '2026-03-31',
        '3',
        '25',
      ]);
    });

    it('pages with the paginator and keeps page and size in the URL', async () => {
      http.expectOne(isList(null)).flush(aJobList(JOBS_FIXTURE, 120));
      render();
      expect(text(byTestId('queue-paginator'))).toContain('1 – 50 of 120');
      (
        byTestId('queue-paginator')?.querySelector('.mat-mdc-paginator-navigation-next') as HTMLElement
      ).click();
      await settle();
      expect(url()).toBe('/?page=2');
      expect(lastList().params.get('page')).toBe('2');
    });

    it('searches 300 ms after typing stops, on the first page', async () => {
      loadFixture();
      const input = byTestId('queue-search') as HTMLInputElement;
      for (const value of ['b', 'bo', 'board']) {
        input.value = value;
        input.dispatchEvent(new Event('input'));
      }
      await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS / 2));
      render();
      expect(url()).toBe('/'); // still typing, as far as the page knows
      await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS));
      render(); // the debounced search reaches the URL
      await settle();
      expect(url()).toBe('/?search=board');
      expect(lastList().params.get('search')).toBe('board');
    });

    it('selects every row of the page, and bulk-retries the failed ones after saying how many', async () => {
      loadFixture();
      (byTestId('queue-select-page')?.querySelector('input') as HTMLInputElement).click();
      render();
      expect(text(byTestId('queue-selected-count'))).toBe('5 selected');
      expect(text(byTestId('queue-bulk-retry'))).toBe('Retry failed (1)');
      expect(text(byTestId('queue-bulk-cancel'))).toBe('Cancel (3)');

      byTestId('queue-bulk-retry')?.click();
      await settle();
      expect(asked.at(-1)).toMatchObject({
        title: 'Retry 1 failed job?',
        confirmLabel: 'Retry 1 failed job',
      });
      const request = http.expectOne({ method: 'POST', url: `${JOBS}/bulk` });
      expect(request.request.body).toEqual({ action: 'retry', job_ids: ['j-failed'] });
      request.flush({ results: [{ job_id: 'j-failed', outcome: 'retried' }] });
      lastList();
      await settle();
      expect(text(byTestId('queue-bulk-counts'))).toBe('1 retried');
      expect(byTestId('queue-bulk-bar')).toBeNull();
    });

    it('lists every job a bulk cancel skipped, with why', async () => {
      loadFixture();
      for (const id of ['j-lessons', 'j-queued']) {
        (byTestId('job-select', row(id))?.querySelector('input') as HTMLInputElement).click();
      }
      render();
      byTestId('queue-bulk-cancel')?.click();
      await settle();
      expect(asked.at(-1)?.title).toBe('Cancel 2 active jobs?');
      http.expectOne({ method: 'POST', url: `${JOBS}/bulk` }).flush({
        results: [
          { job_id: 'j-lessons', outcome: 'cancelled' },
          { job_id: 'j-queued', outcome: 'skipped', message: 'The job is completed' },
        ],
      });
      lastList();
      await settle();
      expect(text(byTestId('queue-bulk-counts'))).toBe('1 cancelled, 1 skipped');
      expect(allByTestId('queue-bulk-problem').map(text)).toEqual([
        'j-queued: skipped — The job is completed',
      ]);
    });

    it('"Retry all failed" sends the view’s filters, not ids', async () => {
      http.expectOne(isList(null)).flush(aJobList(JOBS_FIXTURE));
      await TestBed.inject(Router).navigateByUrl('/?status=failed&search=guitar&user=anyone');
      await settle();
      lastList();
      render();
      byTestId('queue-retry-all-failed')?.click();
      await settle();
      expect(asked.at(-1)?.title).toBe('Retry 120 failed jobs?');
      const request = http.expectOne({ method: 'POST', url: `${JOBS}/bulk` });
      expect(request.request.body).toEqual({
        action: 'retry',
        filter: { search: 'guitar', scope: 'organization' },
      });
      request.flush({ results: [] });
      lastList();
      await settle();
      expect(text(byTestId('queue-bulk-counts'))).toBe('No job matched.');
    });
  });
});
