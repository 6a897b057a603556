import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { JobView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Observable, firstValueFrom, interval, map } from 'rxjs';

import { errorMessage } from '../../shared/api-error';
import { confirmAction } from '../../shared/confirm-dialog';
import { clockTime, formatDuration, relativeTime } from '../../shared/format';
import {
  failureText,
  isActiveJob,
  jobTypeText,
  progressPercent,
  progressText,
  retryConfirmation,
  statusBadge,
} from '../job-display';
import { JobLogViewer } from '../job-log-viewer';
import { QUEUE_POLL_MS } from '../queue-store';
import { JobPageStore } from './job-page-store';
import { StepTree } from './step-tree';
import { MarkdownView } from '../../shared/markdown';
import { formatCost, unpricedNote } from '../../shared/cost';
import { usdSetting } from '../../shared/budget';
import { openResumeDialog } from '../resume-dialog';

/** `/admin/course-generation-queue/:jobId`: one job's header, the step tree of a run, and its log. */
@Component({
  selector: 'cl-job-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatProgressBarModule,
    JobLogViewer,
    StepTree,
    MarkdownView,
  ],
  providers: [JobPageStore],
  templateUrl: './job-page.html',
  styleUrls: ['../../shared/status-badges.scss', './job-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobPage {
  /** The `:jobId` route parameter. */
  readonly jobId = input.required<string>();

  protected readonly store = inject(JobPageStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly pollSeconds = QUEUE_POLL_MS / 1000;
  protected readonly busy = signal(false);

  /** Re-renders relative times ("3 min ago") between polls. */
  private readonly tick = toSignal(interval(15_000).pipe(map(() => Date.now())), {
    initialValue: Date.now(),
  });
  private readonly now = computed(() => Math.max(this.tick(), this.store.lastUpdated()?.getTime() ?? 0));

  protected readonly badge = computed(() => {
    const job = this.store.job();
    return job ? statusBadge(job.status) : null;
  });
  /** "Course generation", or the part a regeneration rewrites. */
  protected readonly typeText = computed(() => {
    const job = this.store.job();
    return job ? jobTypeText(job) : '';
  });
  protected readonly active = computed(() => {
    const job = this.store.job();
    return job !== null && isActiveJob(job);
  });
  protected readonly progress = computed(() => {
    const job = this.store.job();
    return job ? progressText(job) : '--';
  });
  protected readonly percent = computed(() => {
    const job = this.store.job();
    return job ? progressPercent(job) : null;
  });
  protected readonly formatCost = formatCost;
  protected readonly unpricedNote = unpricedNote;
  protected readonly tokens = computed(() => {
    const job = this.store.job();
    return job ? (job.prompt_tokens + job.completion_tokens).toLocaleString('en-US') : '--';
  });
  protected readonly duration = computed(() => {
    const job = this.store.job();
    return !job || isActiveJob(job) ? '--' : formatDuration(job.duration_seconds);
  });
  protected readonly started = computed(() => relativeTime(this.store.job()?.started_at, this.now()));
  protected readonly failure = computed(() => {
    const job = this.store.job();
    return job?.status === 'failed' ? failureText(job) : null;
  });
  /** Runs are numbered from 1 on screen; the API numbers them by retry_count (from 0). */
  protected readonly runs = computed(() =>
    Array.from({ length: (this.store.job()?.retry_count ?? 0) + 1 }, (_, run) => run),
  );
  protected readonly shownRun = computed(() => this.store.run() ?? this.store.job()?.retry_count ?? 0);
  protected readonly runNote = computed(() => {
    const run = this.shownRun() + 1;
    const earlier = run === 2 ? 'run 1' : `runs 1–${run - 1}`;
    return `Run ${run}: steps already done in ${earlier} are not repeated.`;
  });
  protected readonly logs = computed(() => ({
    entries: this.store.logs(),
    loading: this.store.loadState() === 'loading',
    error: null,
  }));

  constructor() {
    effect(() => this.store.open(this.jobId()));
  }

  protected clock(date: Date): string {
    return clockTime(date);
  }

  protected selectRun(run: number): void {
    const latest = this.store.job()?.retry_count ?? 0;
    this.store.selectRun(run === latest ? null : run);
  }

  protected cancel(job: JobView): Promise<void> {
    return this.confirmed(
      {
        title: 'Cancel generation?',
        message: `Stop generating “${job.course_title}”? Lessons and tasks written so far are kept.`,
        confirmLabel: 'Cancel job',
      },
      () => this.store.cancel(),
      'Generation cancelled',
      'The job could not be cancelled.',
    );
  }

  protected retry(job: JobView): Promise<void> {
    return this.confirmed(
      retryConfirmation(job),
      () => this.store.retry(),
      'Retry queued',
      'The job could not be retried.',
    );
  }

  /** Resume asks for an optional higher cap; the dialog shows a refusal (409, 402) itself. */
  protected async resume(job: JobView): Promise<void> {
    this.busy.set(true);
    const resumed = await firstValueFrom(
      openResumeDialog(this.dialog, { job, resume: (maxCostUsd) => this.store.resume(maxCostUsd) }),
      { defaultValue: false },
    );
    this.busy.set(false);
    if (resumed) {
      this.snackBar.open('Generation resumed', undefined, { duration: 4000 });
    }
  }

  protected capText(job: JobView): string {
    return usdSetting(job.max_cost_usd);
  }

  private async confirmed(
    question: Parameters<typeof confirmAction>[1],
    action: () => Observable<void>,
    done: string,
    failed: string,
  ): Promise<void> {
    if (!(await firstValueFrom(confirmAction(this.dialog, question), { defaultValue: false }))) {
      return;
    }
    this.busy.set(true);
    try {
      await firstValueFrom(action(), { defaultValue: undefined });
      this.snackBar.open(done, undefined, { duration: 4000 });
    } catch (error) {
      this.snackBar.open(errorMessage(error, failed), 'Dismiss');
    } finally {
      this.busy.set(false);
    }
  }
}
