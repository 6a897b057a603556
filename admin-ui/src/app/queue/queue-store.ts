import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  BulkJobAction,
  BulkJobsResponse,
  JobDetailResponse,
  JobLogEntry,
  JobView,
} from '@contracts/api';
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  catchError,
  combineLatest,
  concat,
  distinctUntilChanged,
  expand,
  forkJoin,
  ignoreElements,
  map,
  of,
  switchMap,
  tap,
  timer,
  toArray,
} from 'rxjs';

import { errorMessage } from '../shared/api-error';
import { PAGE_VISIBLE } from '../shared/page-visibility';
import { QueueFilter, isActiveJob } from './job-display';
import { JobsApi } from './jobs-api';
import {
  DEFAULT_QUEUE_QUERY,
  QueueQuery,
  apiFilter,
  apiListQuery,
  sameQuery,
  showsNewJobs,
} from './queue-query';
import { ActiveJobsCount } from '../layout/active-jobs-count';

/** The dashboard refreshes this often while a visible job is pending or running. */
export const QUEUE_POLL_MS = 3_000;
export { QUEUE_PAGE_SIZE } from './queue-query';
/** Active jobs asked for per poll (their progress is merged into the page shown). */
export const ACTIVE_POLL_SIZE = 100;
/** Log pages fetched back to back in one refresh while the API says more follow (`logs_more`). */
export const MAX_LOG_PAGES_PER_REFRESH = 20;

export type LoadState = 'loading' | 'ready' | 'error';

export interface JobLogs {
  readonly entries: readonly JobLogEntry[];
  readonly loading: boolean;
  readonly error: string | null;
}

/** A bulk action's answer, with what was asked (for the summary). */
export interface BulkSummary {
  readonly action: BulkJobAction;
  readonly response: BulkJobsResponse;
}

/** What one job's refresh brought: its detail pages, and whether their log lines follow the ones shown. */
interface DetailFetch {
  readonly jobId: string;
  readonly pages: readonly JobDetailResponse[];
  /** The pages hold the log (an open viewer asked for it). */
  readonly withLogs: boolean;
  /** Asked after the viewer's cursor: append the lines; otherwise they replace the shown ones. */
  readonly tail: boolean;
}

/**
 * The queue dashboard's state and its polling. Provided by the page, so it lives and dies with it.
 *
 * - A full list on start and on every change of the view (filters, search, page: `QueueQuery`, which the page
 *   keeps in the URL).
 * - Then, while the tab is visible and any listed job is active: every QUEUE_POLL_MS one refresh of
 *   `?status=active` (in the view's user scope), merged into the page shown — the page and filters stay. A job that
 *   left the active set is fetched once (`GET jobs/:id`) so it shows its terminal status; open log viewers of
 *   active jobs are fetched in the same tick. Polling stops when every listed job is terminal.
 * - Ticks go through `switchMap`: a new tick (or view) drops the previous request, so requests
 *   never overlap; a failed refresh is reported and the next tick tries again.
 * - State is read-only outside: it changes only through the methods below.
 */
@Injectable()
export class QueueStore {
  private readonly api = inject(JobsApi);
  private readonly visible$ = inject(PAGE_VISIBLE);
  private readonly activeCount = inject(ActiveJobsCount, { optional: true });
  private readonly destroyRef = inject(DestroyRef);

  private readonly _query = signal<QueueQuery>(DEFAULT_QUEUE_QUERY);
  private readonly _jobs = signal<readonly JobView[]>([]);
  private readonly _total = signal(0);
  private readonly _loadState = signal<LoadState>('loading');
  private readonly _loadError = signal<string | null>(null);
  private readonly _refreshError = signal<string | null>(null);
  private readonly _lastUpdated = signal<Date | null>(null);
  private readonly _polling = signal(false);
  private readonly _expanded = signal<ReadonlySet<string>>(new Set());
  private readonly _logs = signal<Readonly<Record<string, JobLogs>>>({});
  private readonly _selected = signal<ReadonlySet<string>>(new Set());
  private readonly _bulkSummary = signal<BulkSummary | null>(null);

  readonly query = this._query.asReadonly();
  readonly filter = computed<QueueFilter>(() => this._query().status);
  readonly jobs = this._jobs.asReadonly();
  readonly total = this._total.asReadonly();
  readonly loadState = this._loadState.asReadonly();
  readonly loadError = this._loadError.asReadonly();
  /** The last refresh failed (the list shown is from the one before). */
  readonly refreshError = this._refreshError.asReadonly();
  readonly lastUpdated = this._lastUpdated.asReadonly();
  /** Whether the 3-second refresh is running now. */
  readonly polling = this._polling.asReadonly();
  readonly expanded = this._expanded.asReadonly();
  readonly logs = this._logs.asReadonly();
  /** Ids of the rows ticked on this page (cleared when the view changes). */
  readonly selected = this._selected.asReadonly();
  readonly selectedJobs = computed(() => this._jobs().filter((job) => this._selected().has(job.id)));
  readonly allOnPageSelected = computed(
    () => this._jobs().length > 0 && this._jobs().every((job) => this._selected().has(job.id)),
  );
  /** The outcomes of the last bulk action, until dismissed or the view changes. */
  readonly bulkSummary = this._bulkSummary.asReadonly();

  /** Per open log viewer: the cursor after its last line (`logs_after`). */
  private readonly cursors = new Map<string, string>();
  /** `quiet`: refresh the page shown without the loading state (after a bulk action). */
  private readonly load$ = new BehaviorSubject<{ query: QueueQuery; quiet: boolean }>({
    query: DEFAULT_QUEUE_QUERY,
    quiet: false,
  });
  private readonly hasActive$ = new BehaviorSubject<boolean>(false);

  constructor() {
    this.load$
      .pipe(
        switchMap(({ query, quiet }) => concat(this.fullLoad(query, quiet), this.pollWhileActive())),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  /** Show another view (the page calls this when its URL query changes). */
  setQuery(query: QueueQuery): void {
    if (!sameQuery(query, this._query())) {
      this._query.set(query);
      this._selected.set(new Set());
      this._bulkSummary.set(null);
      this.load$.next({ query, quiet: false });
    }
  }

  setFilter(filter: QueueFilter): void {
    this.setQuery({ ...this._query(), status: filter, page: 1 });
  }

  /** Load the list again from scratch (after an error). */
  reload(): void {
    this.load$.next({ query: this._query(), quiet: false });
  }

  toggleSelected(jobId: string): void {
    const next = new Set(this._selected());
    if (!next.delete(jobId)) next.add(jobId);
    this._selected.set(next);
  }

  /** Ticks (or unticks) every row of the page shown. */
  selectAllOnPage(on: boolean): void {
    this._selected.set(on ? new Set(this._jobs().map((job) => job.id)) : new Set());
  }

  dismissBulkSummary(): void {
    this._bulkSummary.set(null);
  }

  /** Retry or cancel these jobs; the outcomes become `bulkSummary` and the page is refreshed. */
  bulk(action: BulkJobAction, jobIds: readonly string[]): Observable<BulkJobsResponse> {
    return this.afterBulk(action, this.api.bulk({ action, job_ids: [...jobIds] }));
  }

  /** "Retry all failed": every failed job matching the view's filters (the server takes at most 1,000). */
  retryAllFailed(): Observable<BulkJobsResponse> {
    return this.afterBulk('retry', this.api.bulk({ action: 'retry', filter: apiFilter(this._query()) }));
  }

  toggleLogs(jobId: string): void {
    const open = new Set(this.expanded());
    if (open.delete(jobId)) {
      this._expanded.set(open);
      return;
    }
    open.add(jobId);
    this._expanded.set(open);
    this.setLogs(jobId, { entries: this.logs()[jobId]?.entries ?? [], loading: true, error: null });
    this.fetchDetail(jobId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (fetched) => this.applyDetails([fetched]),
        error: (error: unknown) =>
          this.setLogs(jobId, {
            entries: this.logs()[jobId]?.entries ?? [],
            loading: false,
            error: errorMessage(error, 'The logs could not be loaded.'),
          }),
      });
  }

  cancel(jobId: string): Observable<void> {
    return this.api.cancel(jobId).pipe(switchMap(() => this.refreshJob(jobId)));
  }

  retry(jobId: string): Observable<void> {
    return this.api.retry(jobId).pipe(switchMap(() => this.refreshJob(jobId)));
  }

  /** A paused job resumes in a new run, optionally with a higher cost cap (docs/queue.md, "Paused jobs"). */
  resume(jobId: string, maxCostUsd?: number): Observable<void> {
    return this.api.resume(jobId, maxCostUsd).pipe(switchMap(() => this.refreshJob(jobId)));
  }

  private afterBulk(
    action: BulkJobAction,
    request: Observable<BulkJobsResponse>,
  ): Observable<BulkJobsResponse> {
    return request.pipe(
      tap((response) => {
        this._bulkSummary.set({ action, response });
        this._selected.set(new Set());
        this.load$.next({ query: this._query(), quiet: true });
      }),
    );
  }

  private fullLoad(query: QueueQuery, quiet: boolean): Observable<never> {
    if (!quiet) {
      this._loadState.set('loading');
    }
    this._loadError.set(null);
    this.hasActive$.next(false);
    return this.api.list(apiListQuery(query)).pipe(
      tap((response) => {
        this._total.set(response.total);
        this.setJobs(response.jobs);
        this._loadState.set('ready');
        this.markUpdated();
      }),
      catchError((error: unknown) => {
        this._loadState.set('error');
        this._loadError.set(errorMessage(error, 'The generation jobs could not be loaded.'));
        return EMPTY;
      }),
      ignoreElements(),
    );
  }

  private pollWhileActive(): Observable<void> {
    return combineLatest([this.visible$, this.hasActive$]).pipe(
      map(([visible, active]) => visible && active),
      distinctUntilChanged(),
      tap((on) => this._polling.set(on)),
      switchMap((on) =>
        on ? timer(QUEUE_POLL_MS, QUEUE_POLL_MS).pipe(switchMap(() => this.refreshActive())) : EMPTY,
      ),
    );
  }

  /** One poll tick: the active jobs, then details for jobs that finished and for open log viewers. */
  private refreshActive(): Observable<void> {
    const scope = apiFilter(this._query()).scope;
    return this.api.list({ status: 'active', scope, page_size: ACTIVE_POLL_SIZE }).pipe(
      // The nav badge counts the user's own active jobs: report only a poll in that scope.
      tap((response) => (scope ? undefined : this.activeCount?.report(response.total))),
      switchMap((response) => {
        const activeIds = new Set(response.jobs.map((job) => job.id));
        const finished = this.jobs()
          .filter((job) => isActiveJob(job) && !activeIds.has(job.id))
          .map((job) => job.id);
        const watched = [...this.expanded()].filter((id) => activeIds.has(id));
        const ids = [...new Set([...finished, ...watched])];
        const details$: Observable<(DetailFetch | null)[]> = ids.length
          ? forkJoin(ids.map((id) => this.fetchDetail(id).pipe(catchError(() => of(null)))))
          : of([]);
        return details$.pipe(
          map((details) => ({
            active: response.jobs,
            details: details.filter((d): d is DetailFetch => d !== null),
          })),
        );
      }),
      map(({ active, details }) => {
        this.mergeActive(active);
        this.applyDetails(details);
        this._refreshError.set(null);
        this.markUpdated();
      }),
      catchError((error: unknown) => {
        this._refreshError.set(errorMessage(error, 'The refresh failed.'));
        return EMPTY;
      }),
    );
  }

  private refreshJob(jobId: string): Observable<void> {
    return this.fetchDetail(jobId).pipe(
      map((fetched) => {
        this.applyDetails([fetched]);
        this.markUpdated();
      }),
    );
  }

  /**
   * The job; for an open log viewer also its log after the viewer's cursor, page after page while more
   * follow (at most MAX_LOG_PAGES_PER_REFRESH; the next refresh goes on from there).
   */
  private fetchDetail(jobId: string): Observable<DetailFetch> {
    const withLogs = this.expanded().has(jobId);
    const after = withLogs ? (this.cursors.get(jobId) ?? null) : null;
    return this.api.get(jobId, after).pipe(
      expand((detail, index) =>
        withLogs && detail.logs_more && detail.logs_cursor && index + 1 < MAX_LOG_PAGES_PER_REFRESH
          ? this.api.get(jobId, detail.logs_cursor)
          : EMPTY,
      ),
      toArray(),
      map((pages) => ({ jobId, pages, withLogs, tail: after !== null })),
    );
  }

  private mergeActive(active: readonly JobView[]): void {
    const byId = new Map(active.map((job) => [job.id, job]));
    let next = this.jobs().map((job) => byId.get(job.id) ?? job);
    // Jobs queued since the list was loaded (another tab, another admin) appear on top.
    if (showsNewJobs(this._query())) {
      const known = new Set(next.map((job) => job.id));
      const fresh = active.filter((job) => !known.has(job.id));
      if (fresh.length) {
        next = [...fresh, ...next];
        this._total.update((total) => total + fresh.length);
      }
    }
    this.setJobs(next);
  }

  /** Replace jobs by their detail and add the new lines to open viewers. */
  private applyDetails(fetched: readonly DetailFetch[]): void {
    const latest = fetched.filter((f) => f.pages.length > 0);
    if (!latest.length) {
      return;
    }
    const byId = new Map(latest.map((f) => [f.jobId, f.pages[f.pages.length - 1].job]));
    this.setJobs(this.jobs().map((job) => byId.get(job.id) ?? job));
    const open = this.expanded();
    for (const { jobId, pages, withLogs, tail } of latest) {
      if (!withLogs || !open.has(jobId)) {
        continue;
      }
      const lines = pages.flatMap((page) => page.logs);
      const before = tail ? (this.logs()[jobId]?.entries ?? []) : [];
      this.setLogs(jobId, { entries: [...before, ...lines], loading: false, error: null });
      const cursor = [...pages].reverse().find((page) => page.logs_cursor)?.logs_cursor;
      if (cursor) {
        this.cursors.set(jobId, cursor);
      }
    }
  }

  private setJobs(jobs: readonly JobView[]): void {
    this._jobs.set(jobs);
    // Last: this may stop the poller, which drops the tick that called us.
    this.hasActive$.next(jobs.some(isActiveJob));
  }

  private setLogs(jobId: string, logs: JobLogs): void {
    this._logs.update((all) => ({ ...all, [jobId]: logs }));
  }

  private markUpdated(): void {
    this._lastUpdated.set(new Date());
  }
}
