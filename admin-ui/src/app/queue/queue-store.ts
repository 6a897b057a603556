import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobDetailResponse, JobLogEntry, JobView } from '@contracts/api';
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
import { QueueFilter, filterStatus, isActiveJob } from './job-display';
import { JobsApi } from './jobs-api';
import { ActiveJobsCount } from '../layout/active-jobs-count';

/** The dashboard refreshes this often while a visible job is pending or running. */
export const QUEUE_POLL_MS = 3_000;
/** Jobs shown per list request. */
export const QUEUE_PAGE_SIZE = 50;
/** Log pages fetched back to back in one refresh while the API says more follow (`logs_more`). */
export const MAX_LOG_PAGES_PER_REFRESH = 20;

export type LoadState = 'loading' | 'ready' | 'error';

export interface JobLogs {
  readonly entries: readonly JobLogEntry[];
  readonly loading: boolean;
  readonly error: string | null;
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
 * - A full list on start and on every filter change (`?status=` per filter).
 * - Then, while the tab is visible and any listed job is active: every QUEUE_POLL_MS one refresh of
 *   `?status=active`, merged into the list. A job that left the active set is fetched once
 *   (`GET jobs/:id`) so it shows its terminal status; open log viewers of active jobs are fetched
 *   in the same tick. Polling stops when every listed job is terminal.
 * - Ticks go through `switchMap`: a new tick (or filter) drops the previous request, so requests
 *   never overlap; a failed refresh is reported and the next tick tries again.
 */
@Injectable()
export class QueueStore {
  private readonly api = inject(JobsApi);
  private readonly visible$ = inject(PAGE_VISIBLE);
  private readonly activeCount = inject(ActiveJobsCount, { optional: true });
  private readonly destroyRef = inject(DestroyRef);

  readonly filter = signal<QueueFilter>('all');
  readonly jobs = signal<readonly JobView[]>([]);
  readonly total = signal(0);
  readonly loadState = signal<LoadState>('loading');
  readonly loadError = signal<string | null>(null);
  /** The last refresh failed (the list shown is from the one before). */
  readonly refreshError = signal<string | null>(null);
  readonly lastUpdated = signal<Date | null>(null);
  /** Whether the 3-second refresh is running now. */
  readonly polling = signal(false);
  readonly expanded = signal<ReadonlySet<string>>(new Set());
  readonly logs = signal<Readonly<Record<string, JobLogs>>>({});

  /** Per open log viewer: the cursor after its last line (`logs_after`). */
  private readonly cursors = new Map<string, string>();
  private readonly load$ = new BehaviorSubject<QueueFilter>('all');
  private readonly hasActive$ = new BehaviorSubject<boolean>(false);

  constructor() {
    this.load$
      .pipe(
        switchMap((filter) => concat(this.fullLoad(filter), this.pollWhileActive())),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  setFilter(filter: QueueFilter): void {
    if (filter !== this.filter()) {
      this.filter.set(filter);
      this.load$.next(filter);
    }
  }

  /** Load the list again from scratch (after an error). */
  reload(): void {
    this.load$.next(this.filter());
  }

  toggleLogs(jobId: string): void {
    const open = new Set(this.expanded());
    if (open.delete(jobId)) {
      this.expanded.set(open);
      return;
    }
    open.add(jobId);
    this.expanded.set(open);
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

  private fullLoad(filter: QueueFilter): Observable<never> {
    this.loadState.set('loading');
    this.loadError.set(null);
    this.hasActive$.next(false);
    return this.api.list({ status: filterStatus(filter), page_size: QUEUE_PAGE_SIZE }).pipe(
      tap((response) => {
        this.total.set(response.total);
        this.setJobs(response.jobs);
        this.loadState.set('ready');
        this.markUpdated();
      }),
      catchError((error: unknown) => {
        this.loadState.set('error');
        this.loadError.set(errorMessage(error, 'The generation jobs could not be loaded.'));
        return EMPTY;
      }),
      ignoreElements(),
    );
  }

  private pollWhileActive(): Observable<void> {
    return combineLatest([this.visible$, this.hasActive$]).pipe(
      map(([visible, active]) => visible && active),
      distinctUntilChanged(),
      tap((on) => this.polling.set(on)),
      switchMap((on) =>
        on ? timer(QUEUE_POLL_MS, QUEUE_POLL_MS).pipe(switchMap(() => this.refreshActive())) : EMPTY,
      ),
    );
  }

  /** One poll tick: the active jobs, then details for jobs that finished and for open log viewers. */
  private refreshActive(): Observable<void> {
    return this.api.list({ status: 'active', page_size: QUEUE_PAGE_SIZE }).pipe(
      tap((response) => this.activeCount?.report(response.total)),
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
        this.refreshError.set(null);
        this.markUpdated();
      }),
      catchError((error: unknown) => {
        this.refreshError.set(errorMessage(error, 'The refresh failed.'));
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
    const filter = this.filter();
    if (filter === 'all' || filter === 'running') {
      const known = new Set(next.map((job) => job.id));
      const fresh = active.filter((job) => !known.has(job.id));
      if (fresh.length) {
        next = [...fresh, ...next];
        this.total.update((total) => total + fresh.length);
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
    this.jobs.set(jobs);
    // Last: this may stop the poller, which drops the tick that called us.
    this.hasActive$.next(jobs.some(isActiveJob));
  }

  private setLogs(jobId: string, logs: JobLogs): void {
    this.logs.update((all) => ({ ...all, [jobId]: logs }));
  }

  private markUpdated(): void {
    this.lastUpdated.set(new Date());
  }
}
