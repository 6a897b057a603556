import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { BulkJobAction, JobView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Observable, Subject, debounceTime, distinctUntilChanged, firstValueFrom, interval, map } from 'rxjs';

import { errorMessage } from '../shared/api-error';
import { ConfirmData, confirmAction } from '../shared/confirm-dialog';
import { formatCost, unpricedNote } from '../shared/cost';
import { clockTime, formatDuration, relativeTime } from '../shared/format';
import {
  bulkCancelConfirmation,
  bulkRetryConfirmation,
  cancellable,
  outcomeCounts,
  outcomeLabel,
  outcomeProblems,
  retryAllConfirmation,
  retryable,
} from './bulk-actions';
import {
  QUEUE_FILTERS,
  QueueFilter,
  failureText,
  isActiveJob,
  jobTypeText,
  progressPercent,
  progressText,
  retryConfirmation,
  statusBadge,
} from './job-display';
import { JobLogViewer } from './job-log-viewer';
import { openResumeDialog } from './resume-dialog';
import { QUEUE_POLL_MS, QueueStore } from './queue-store';
import { QUEUE_PAGE_SIZES, QueueQuery, parseQueueQuery, queueQueryParams } from './queue-query';
import { ProviderInfoStore } from '../shared/provider-info';
import { SampleProviderNote } from '../shared/sample-provider-note';

/** Search waits this long after the last keystroke before asking the server. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * `/admin/course-generation-queue`: every generation job, its status, progress and logs; paged, searched and
 * filtered with the view in the URL query (queue-query.ts), and bulk retry/cancel (docs/queue.md).
 */
@Component({
  selector: 'cl-queue-page',
  imports: [
    SampleProviderNote,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    JobLogViewer,
  ],
  providers: [QueueStore],
  templateUrl: './queue-page.html',
  styleUrls: ['../shared/status-badges.scss', './queue-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QueuePage {
  protected readonly store = inject(QueueStore);
  protected readonly provider = inject(ProviderInfoStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly filters = QUEUE_FILTERS;
  protected readonly pageSizes = QUEUE_PAGE_SIZES;
  protected readonly columns = [
    'select',
    'title',
    'status',
    'progress',
    'started',
    'duration',
    'cost',
    'actions',
  ];
  protected readonly formatCost = formatCost;
  protected readonly unpricedNote = unpricedNote;
  protected readonly outcomeLabel = outcomeLabel;
  protected readonly pollSeconds = QUEUE_POLL_MS / 1000;
  /** Jobs with a cancel/retry request in flight. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  /** A bulk request is in flight. */
  protected readonly bulkBusy = signal(false);

  /** The view the URL asks for; the store loads it. */
  private readonly urlQuery = toSignal(this.route.queryParams.pipe(map(parseQueueQuery)), {
    requireSync: true,
  });
  protected readonly query = this.store.query;
  /** What the search box shows now; the URL (and so the list) follows SEARCH_DEBOUNCE_MS after typing stops. */
  protected readonly searchText = signal(this.urlQuery().search);
  private readonly typing = new Subject<string>();
  private readonly typedSearch = toSignal(
    this.typing.pipe(debounceTime(SEARCH_DEBOUNCE_MS), distinctUntilChanged()),
  );

  protected readonly selectedFailed = computed(() => retryable(this.store.selectedJobs()));
  protected readonly selectedActive = computed(() => cancellable(this.store.selectedJobs()));
  protected readonly someOnPageSelected = computed(
    () => this.store.selected().size > 0 && !this.store.allOnPageSelected(),
  );
  protected readonly canRetryAll = computed(() => {
    const status = this.query().status;
    return status === 'all' || status === 'failed';
  });
  protected readonly summaryCounts = computed(() => {
    const summary = this.store.bulkSummary();
    return summary ? outcomeCounts(summary.response.results) : '';
  });
  protected readonly summaryProblems = computed(() =>
    outcomeProblems(this.store.bulkSummary()?.response.results ?? []),
  );
  protected readonly filtered = computed(() => {
    const q = this.query();
    return !!(q.search || q.jobType || q.from || q.to || q.user === 'anyone');
  });

  /** "2 min ago" stays true between refreshes. */
  private readonly tick = toSignal(interval(15_000).pipe(map(() => Date.now())), {
    initialValue: Date.now(),
  });
  protected readonly now = computed(() => Math.max(this.tick(), this.store.lastUpdated()?.getTime() ?? 0));

  protected readonly emptyText = computed(() => {
    if (this.filtered()) {
      return 'No job matches these filters.';
    }
    switch (this.store.filter()) {
      case 'running':
        return 'No job is running.';
      case 'completed':
        return 'No completed jobs yet.';
      case 'failed':
        return 'No failed jobs.';
      default:
        return 'No generation jobs yet. Approve a course outline and choose “Generate & Queue”.';
    }
  });

  constructor() {
    // The URL is the view's one source: every change of it (a link, reload, back, the controls below) loads it.
    effect(() => this.store.setQuery(this.urlQuery()));
    effect(() => {
      const search = this.typedSearch();
      if (search !== undefined) {
        this.navigate({ search: search.trim(), page: 1 }, true);
      }
    });
  }

  protected setFilter(value: QueueFilter): void {
    this.navigate({ status: value, page: 1 });
  }

  protected setJobType(value: QueueQuery['jobType']): void {
    this.navigate({ jobType: value, page: 1 });
  }

  protected setUser(value: QueueQuery['user']): void {
    this.navigate({ user: value, page: 1 });
  }

  protected setDate(which: 'from' | 'to', value: string): void {
    this.navigate({ [which]: /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '', page: 1 });
  }

  protected onSearchInput(value: string): void {
    this.searchText.set(value);
    this.typing.next(value);
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.navigate({ search: '', jobType: '', user: 'mine', from: '', to: '', page: 1 });
  }

  protected onPage(event: PageEvent): void {
    this.navigate({ page: event.pageIndex + 1, pageSize: event.pageSize });
  }

  protected isSelected(job: JobView): boolean {
    return this.store.selected().has(job.id);
  }

  protected async bulk(action: BulkJobAction): Promise<void> {
    const jobs = action === 'retry' ? this.selectedFailed() : this.selectedActive();
    const ok = await this.confirm(
      action === 'retry' ? bulkRetryConfirmation(jobs.length) : bulkCancelConfirmation(jobs.length),
    );
    if (ok) {
      await this.runBulk(
        this.store.bulk(
          action,
          jobs.map((job) => job.id),
        ),
      );
    }
  }

  protected async retryAllFailed(): Promise<void> {
    const known = this.query().status === 'failed' ? this.store.total() : null;
    if (await this.confirm(retryAllConfirmation(known))) {
      await this.runBulk(this.store.retryAllFailed());
    }
  }

  private async runBulk(request: Observable<unknown>): Promise<void> {
    this.bulkBusy.set(true);
    try {
      await firstValueFrom(request);
    } catch (error) {
      this.snackBar.open(errorMessage(error, 'The bulk action failed.'), 'Dismiss');
    } finally {
      this.bulkBusy.set(false);
    }
  }

  private confirm(data: ConfirmData): Promise<boolean> {
    return firstValueFrom(confirmAction(this.dialog, data));
  }

  /** Changes the view through the URL (the effect above then loads it); a search replaces the history entry. */
  private navigate(change: Partial<QueueQuery>, replaceUrl = false): void {
    const next = { ...this.urlQuery(), ...change };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: queueQueryParams(next),
      replaceUrl,
    });
  }

  protected isOpen(job: JobView): boolean {
    return this.store.expanded().has(job.id);
  }

  /** "Course generation", or the part a regeneration rewrites. */
  protected typeText(job: JobView): string {
    return jobTypeText(job);
  }

  protected badge(job: JobView) {
    return statusBadge(job.status);
  }

  protected progress(job: JobView): string {
    return progressText(job);
  }

  protected percent(job: JobView): number | null {
    return progressPercent(job);
  }

  /** A failed job's step and message, shown under its badge (truncated; the tooltip has it whole). */
  protected failure(job: JobView): string | null {
    return job.status === 'failed' ? failureText(job) : null;
  }

  protected active(job: JobView): boolean {
    return isActiveJob(job);
  }

  protected started(job: JobView): string {
    return relativeTime(job.started_at, this.now());
  }

  protected duration(job: JobView): string {
    return isActiveJob(job) ? '--' : formatDuration(job.duration_seconds);
  }

  protected clock(date: Date): string {
    return clockTime(date);
  }

  protected async cancel(job: JobView): Promise<void> {
    const ok = await this.confirm({
      title: 'Cancel generation?',
      message: `Stop generating “${job.course_title}”? Lessons and tasks written so far are kept.`,
      confirmLabel: 'Cancel job',
    });
    if (ok) {
      await this.act(
        job,
        this.store.cancel(job.id),
        'Generation cancelled',
        'The job could not be cancelled.',
      );
    }
  }

  /** Retry asks first, saying how many steps will run again. */
  protected async retry(job: JobView): Promise<void> {
    if (await this.confirm(retryConfirmation(job))) {
      await this.act(job, this.store.retry(job.id), 'Retry queued', 'The job could not be retried.');
    }
  }

  /** Resume asks for an optional higher cap; the dialog shows a refusal (409, 402) itself. */
  protected async resume(job: JobView): Promise<void> {
    this.setBusy(job.id, true);
    const resumed = await firstValueFrom(
      openResumeDialog(this.dialog, {
        job,
        resume: (maxCostUsd) => this.store.resume(job.id, maxCostUsd),
      }),
      { defaultValue: false },
    );
    this.setBusy(job.id, false);
    if (resumed) {
      this.snackBar.open('Generation resumed', undefined, { duration: 4000 });
    }
  }

  private async act(job: JobView, request: Observable<void>, done: string, failed: string): Promise<void> {
    this.setBusy(job.id, true);
    try {
      await firstValueFrom(request, { defaultValue: undefined });
      this.snackBar.open(done, undefined, { duration: 4000 });
    } catch (error) {
      this.snackBar.open(errorMessage(error, failed), 'Dismiss');
    } finally {
      this.setBusy(job.id, false);
    }
  }

  private setBusy(jobId: string, on: boolean): void {
    const next = new Set(this.busy());
    if (on) {
      next.add(jobId);
    } else {
      next.delete(jobId);
    }
    this.busy.set(next);
  }
}
