import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobDetailResponse, JobLogEntry, JobView, StepView } from '@contracts/api';
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  catchError,
  combineLatest,
  concat,
  distinctUntilChanged,
  expand,
  ignoreElements,
  map,
  merge,
  switchMap,
  tap,
  timer,
} from 'rxjs';

import { errorMessage } from '../../shared/api-error';
import { PAGE_VISIBLE } from '../../shared/page-visibility';
import { isActiveJob } from '../job-display';
import { JobsApi } from '../jobs-api';
import { QUEUE_POLL_MS } from '../queue-store';

/** Log pages fetched back to back in one refresh while the API says more follow (`logs_more`). */
export const MAX_LOG_PAGES_PER_REFRESH = 20;

export type JobPageLoadState = 'loading' | 'ready' | 'error';

/**
 * One job's page: the job, the steps of a run, and its log followed by cursor. Provided by the page.
 *
 * - On open: `GET jobs/:id` (the first log page) and `GET jobs/:id/steps`.
 * - Then, while the job is active and the tab visible, every QUEUE_POLL_MS one refresh: the log after the
 *   last cursor (`?logs_after=`, appended; asked again at once while `logs_more`), then the steps (read
 *   after the job, so a job seen terminal comes with its final steps). Polling stops when the job is
 *   terminal; refreshes go through `switchMap`, so requests never overlap.
 */
@Injectable()
export class JobPageStore {
  private readonly api = inject(JobsApi);
  private readonly visible$ = inject(PAGE_VISIBLE);
  private readonly destroyRef = inject(DestroyRef);

  private readonly jobState = signal<JobView | null>(null);
  private readonly stepsState = signal<readonly StepView[]>([]);
  private readonly logsState = signal<readonly JobLogEntry[]>([]);
  private readonly logsMoreState = signal(false);
  private readonly loadStateValue = signal<JobPageLoadState>('loading');
  private readonly loadErrorState = signal<string | null>(null);
  private readonly refreshErrorState = signal<string | null>(null);
  private readonly lastUpdatedState = signal<Date | null>(null);
  private readonly pollingState = signal(false);
  private readonly runState = signal<number | null>(null);

  readonly job = this.jobState.asReadonly();
  /** The steps of the shown run, in course order. */
  readonly steps = this.stepsState.asReadonly();
  /** The log so far, oldest first. */
  readonly logs = this.logsState.asReadonly();
  /** More log lines wait after the last one (a terminal job's long log): `loadMoreLogs()`. */
  readonly logsMore = this.logsMoreState.asReadonly();
  readonly loadState = this.loadStateValue.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  /** The last refresh failed (what is shown is from the one before). */
  readonly refreshError = this.refreshErrorState.asReadonly();
  readonly lastUpdated = this.lastUpdatedState.asReadonly();
  /** Whether the 3-second refresh is running now. */
  readonly polling = this.pollingState.asReadonly();
  /** The run shown (the job's retry_count then); null = the latest. */
  readonly run = this.runState.asReadonly();

  private cursor: string | null = null;
  private readonly open$ = new BehaviorSubject<string | null>(null);
  private readonly active$ = new BehaviorSubject(false);
  private readonly refreshNow$ = new Subject<void>();

  constructor() {
    this.open$
      .pipe(
        distinctUntilChanged(),
        switchMap((jobId) => (jobId ? concat(this.fullLoad(jobId), this.refreshes(jobId)) : EMPTY)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  /** Show this job (again from scratch when it changes). */
  open(jobId: string): void {
    this.open$.next(jobId);
  }

  /** Load the job again from scratch (after an error). */
  reload(): void {
    const jobId = this.open$.value;
    this.open$.next(null);
    this.open$.next(jobId);
  }

  /** Show the steps of another run (null: the latest). */
  selectRun(run: number | null): void {
    this.runState.set(run);
    this.refreshNow$.next();
  }

  loadMoreLogs(): void {
    this.refreshNow$.next();
  }

  cancel(): Observable<void> {
    return this.act((jobId) => this.api.cancel(jobId));
  }

  retry(): Observable<void> {
    return this.act((jobId) => this.api.retry(jobId));
  }

  /** A paused job resumes in a new run, optionally with a higher cost cap (docs/queue.md, "Paused jobs"). */
  resume(maxCostUsd?: number): Observable<void> {
    return this.act((jobId) => this.api.resume(jobId, maxCostUsd));
  }

  private act(request: (jobId: string) => Observable<unknown>): Observable<void> {
    const jobId = this.open$.value;
    if (!jobId) {
      return EMPTY;
    }
    return request(jobId).pipe(
      map(() => {
        this.runState.set(null);
        this.refreshNow$.next();
      }),
    );
  }

  private fullLoad(jobId: string): Observable<never> {
    this.cursor = null;
    this.jobState.set(null);
    this.stepsState.set([]);
    this.logsState.set([]);
    this.logsMoreState.set(false);
    this.refreshErrorState.set(null);
    this.loadStateValue.set('loading');
    this.loadErrorState.set(null);
    this.active$.next(false);
    return this.refresh(jobId).pipe(
      tap(() => this.loadStateValue.set('ready')),
      catchError((error: unknown) => {
        this.loadStateValue.set('error');
        this.loadErrorState.set(errorMessage(error, 'The job could not be loaded.'));
        return EMPTY;
      }),
      ignoreElements(),
    );
  }

  /** Poll ticks while active and visible, and immediate refreshes after an action; one at a time. */
  private refreshes(jobId: string): Observable<void> {
    const ticks$ = combineLatest([this.visible$, this.active$]).pipe(
      map(([visible, active]) => visible && active),
      distinctUntilChanged(),
      tap((on) => this.pollingState.set(on)),
      switchMap((on) => (on ? timer(QUEUE_POLL_MS, QUEUE_POLL_MS) : EMPTY)),
    );
    return merge(ticks$, this.refreshNow$).pipe(
      switchMap(() =>
        this.refresh(jobId).pipe(
          tap(() => this.refreshErrorState.set(null)),
          catchError((error: unknown) => {
            this.refreshErrorState.set(errorMessage(error, 'The refresh failed.'));
            return EMPTY;
          }),
        ),
      ),
    );
  }

  /** The job and the log after the cursor (page after page while more follow), then the steps. */
  private refresh(jobId: string): Observable<void> {
    const firstPage = this.cursor === null;
    return this.api.get(jobId, this.cursor).pipe(
      expand((detail, index) =>
        detail.logs_more && detail.logs_cursor && index + 1 < MAX_LOG_PAGES_PER_REFRESH
          ? this.api.get(jobId, detail.logs_cursor)
          : EMPTY,
      ),
      tap((detail) => this.applyDetail(detail, firstPage)),
      ignoreElements(),
      (details$) => concat(details$, this.api.steps(jobId, this.runState())),
      map((response) => {
        this.stepsState.set(response.steps);
        this.lastUpdatedState.set(new Date());
        // Last: this may stop the ticks (not this refresh, which runs outside them).
        this.active$.next(isActiveJob(this.jobState() ?? { status: 'completed' }));
      }),
    );
  }

  private applyDetail(detail: JobDetailResponse, firstPage: boolean): void {
    this.jobState.set(detail.job);
    if (firstPage && this.cursor === null) {
      this.logsState.set(detail.logs);
    } else if (detail.logs.length) {
      this.logsState.update((logs) => [...logs, ...detail.logs]);
    }
    this.cursor = detail.logs_cursor ?? this.cursor;
    this.logsMoreState.set(detail.logs_more);
  }
}
