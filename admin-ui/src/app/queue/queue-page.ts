import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { filter, interval, switchMap } from 'rxjs';

import { errorMessage } from '../shared/api-error';
import { confirmAction } from '../shared/confirm-dialog';
import { formatCost, unpricedNote } from '../shared/cost';
import { clockTime, formatDuration, relativeTime } from '../shared/format';
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
import { ProviderInfoStore } from '../shared/provider-info';
import { SampleProviderNote } from '../shared/sample-provider-note';

/** `/admin/course-generation-queue`: every generation job, its status, progress and logs. */
@Component({
  selector: 'cl-queue-page',
  imports: [
    SampleProviderNote,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
    JobLogViewer,
  ],
  providers: [QueueStore],
  template: `
    <header class="page-header">
      <h1>Generation Queue</h1>
      @if (provider.sample()) {
        <cl-sample-provider-note />
      }
      <a matButton="filled" routerLink="/courses/new" data-testid="queue-new-course">New Course</a>
    </header>

    <div class="toolbar">
      <mat-button-toggle-group
        aria-label="Filter jobs by status"
        [value]="store.filter()"
        (change)="setFilter($event.value)"
        hideSingleSelectionIndicator
      >
        @for (f of filters; track f.value) {
          <mat-button-toggle [value]="f.value" [attr.data-testid]="'queue-filter-' + f.value">
            {{ f.label }}
          </mat-button-toggle>
        }
      </mat-button-toggle-group>
      <span class="status-line">
        @if (store.lastUpdated(); as updated) {
          <span data-testid="queue-last-updated">Last updated {{ clock(updated) }}</span>
        }
        @if (store.polling()) {
          <span class="live" data-testid="queue-live"> · refreshing every {{ pollSeconds }} s</span>
        }
      </span>
    </div>

    @if (store.refreshError(); as refreshError) {
      <p class="warn" role="status" data-testid="queue-refresh-error">
        Refresh failed: {{ refreshError }} — showing the last known state; trying again in
        {{ pollSeconds }} s.
      </p>
    }

    @switch (store.loadState()) {
      @case ('loading') {
        <div data-testid="queue-loading" aria-live="polite">
          <mat-progress-bar mode="indeterminate" />
          <p class="muted">Loading generation jobs…</p>
        </div>
      }
      @case ('error') {
        <div class="error-box" role="alert" data-testid="queue-error">
          <p>{{ store.loadError() }}</p>
          <button matButton="outlined" type="button" (click)="store.reload()" data-testid="queue-reload">
            Try again
          </button>
        </div>
      }
      @default {
        @if (store.jobs().length === 0) {
          <div class="empty" data-testid="queue-empty">
            <p>{{ emptyText() }}</p>
            <a matButton="outlined" routerLink="/courses/new">Start a new course</a>
          </div>
        } @else {
          <table
            mat-table
            [dataSource]="store.jobs()"
            multiTemplateDataRows
            class="jobs"
            data-testid="queue-table"
          >
            <ng-container matColumnDef="title">
              <th mat-header-cell *matHeaderCellDef>Course Title</th>
              <td mat-cell *matCellDef="let job">
                <button
                  matIconButton
                  type="button"
                  class="toggle"
                  data-testid="job-logs-toggle"
                  [attr.aria-expanded]="isOpen(job)"
                  [attr.aria-label]="(isOpen(job) ? 'Hide' : 'Show') + ' logs of ' + job.course_title"
                  (click)="store.toggleLogs(job.id)"
                >
                  <span aria-hidden="true">{{ isOpen(job) ? '▾' : '▸' }}</span>
                </button>
                <a
                  [routerLink]="['/course-generation-queue', job.id]"
                  data-testid="job-title"
                  [attr.aria-label]="'Details of ' + job.course_title"
                  >{{ job.course_title }}</a
                >
                <div class="job-type" data-testid="job-type">{{ typeText(job) }}</div>
              </td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let job">
                <span
                  class="badge"
                  [class]="'badge badge-' + badge(job).tone"
                  data-testid="job-status"
                  [attr.data-status]="job.status"
                  >{{ badge(job).label }}</span
                >
                @if (failure(job); as message) {
                  <div class="row-error" data-testid="job-row-error" [matTooltip]="message">
                    {{ message }}
                  </div>
                }
                @if (job.status === 'paused' && job.pause_reason) {
                  <div class="row-paused" data-testid="job-pause-reason" [matTooltip]="job.pause_reason">
                    {{ job.pause_reason }}
                  </div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="progress">
              <th mat-header-cell *matHeaderCellDef>Progress</th>
              <td mat-cell *matCellDef="let job" class="progress-cell">
                <span data-testid="job-progress">{{ progress(job) }}</span>
                @if (percent(job) !== null) {
                  <mat-progress-bar
                    mode="determinate"
                    [value]="percent(job) ?? 0"
                    data-testid="job-progress-bar"
                    [attr.aria-label]="'Progress of ' + job.course_title"
                  />
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="started">
              <th mat-header-cell *matHeaderCellDef>Started</th>
              <td
                mat-cell
                *matCellDef="let job"
                data-testid="job-started"
                [attr.title]="job.started_at ?? ''"
              >
                {{ started(job) }}
              </td>
            </ng-container>
            <ng-container matColumnDef="duration">
              <th mat-header-cell *matHeaderCellDef>Duration</th>
              <td mat-cell *matCellDef="let job" data-testid="job-duration">{{ duration(job) }}</td>
            </ng-container>
            <ng-container matColumnDef="cost">
              <th mat-header-cell *matHeaderCellDef>Cost</th>
              <td
                mat-cell
                *matCellDef="let job"
                data-testid="job-cost"
                [matTooltip]="unpricedNote(job.unpriced_calls)"
              >
                {{ formatCost(job.cost_usd, job.unpriced_calls) }}
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef>Actions</th>
              <td mat-cell *matCellDef="let job" class="actions">
                @if (active(job)) {
                  @if (job.status === 'paused') {
                    <button
                      matButton="filled"
                      type="button"
                      data-testid="job-resume"
                      [disabled]="busy().has(job.id)"
                      (click)="resume(job)"
                    >
                      Resume
                    </button>
                  }
                  <button
                    matButton
                    type="button"
                    data-testid="job-cancel"
                    [disabled]="busy().has(job.id)"
                    (click)="cancel(job)"
                  >
                    Cancel
                  </button>
                } @else if (job.status === 'failed') {
                  <button
                    matButton
                    type="button"
                    data-testid="job-retry"
                    [disabled]="busy().has(job.id)"
                    (click)="retry(job)"
                  >
                    Retry
                  </button>
                } @else if (job.status === 'completed') {
                  <a matButton [routerLink]="['/courses', job.course_id]" data-testid="job-view-course"
                    >View Course</a
                  >
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="logs">
              <td mat-cell *matCellDef="let job" [attr.colspan]="columns.length" class="logs-cell">
                @if (isOpen(job)) {
                  <cl-job-log-viewer [logs]="store.logs()[job.id]" [errorMessage]="job.error_message" />
                }
              </td>
            </ng-container>

            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr
              mat-row
              *matRowDef="let job; columns: columns"
              [attr.data-testid]="'job-row-' + job.id"
              [attr.data-course-title]="job.course_title"
              [attr.data-status]="job.status"
              class="job-row"
            ></tr>
            <tr
              mat-row
              *matRowDef="let job; columns: ['logs']"
              class="logs-row"
              [class.open]="isOpen(job)"
              [attr.data-testid]="'job-logs-row-' + job.id"
            ></tr>
          </table>
          @if (store.total() > store.jobs().length) {
            <p class="muted" data-testid="queue-more">
              Showing the newest {{ store.jobs().length }} of {{ store.total() }} jobs.
            </p>
          }
        }
      }
    }
  `,
  styleUrl: '../shared/status-badges.scss',
  styles: `
    .page-header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 16px;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 16px;
      margin: 8px 0 16px;
    }
    .status-line,
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .warn {
      background: #fff7ed;
      color: #9a3412;
      padding: 8px 12px;
      border-radius: 6px;
    }
    .error-box {
      color: var(--mat-sys-error);
    }
    .jobs {
      width: 100%;
    }
    .toggle {
      margin-right: 4px;
    }
    .job-type {
      margin-left: 44px;
      font-size: 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .progress-cell {
      min-width: 140px;
    }
    .progress-cell mat-progress-bar {
      margin-top: 4px;
    }
    .row-error {
      max-width: 280px;
      margin-top: 4px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 12px;
      color: var(--mat-sys-error);
    }
    .row-paused {
      max-width: 280px;
      margin-top: 4px;
      font-size: 12px;
      color: #b45309;
    }
    .logs-row:not(.open) {
      height: 0;
    }
    .logs-row:not(.open) .logs-cell {
      border-bottom-width: 0;
      padding: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QueuePage {
  protected readonly store = inject(QueueStore);
  protected readonly provider = inject(ProviderInfoStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly filters = QUEUE_FILTERS;
  protected readonly columns = ['title', 'status', 'progress', 'started', 'duration', 'cost', 'actions'];
  protected readonly formatCost = formatCost;
  protected readonly unpricedNote = unpricedNote;
  protected readonly pollSeconds = QUEUE_POLL_MS / 1000;
  /** Jobs with a cancel/retry request in flight. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());

  /** "2 min ago" stays true between refreshes. */
  private readonly tick = signal(Date.now());
  protected readonly now = computed(() => Math.max(this.tick(), this.store.lastUpdated()?.getTime() ?? 0));

  protected readonly emptyText = computed(() => {
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
    interval(15_000)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.tick.set(Date.now()));
  }

  protected setFilter(value: QueueFilter): void {
    this.store.setFilter(value);
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

  protected cancel(job: JobView): void {
    confirmAction(this.dialog, {
      title: 'Cancel generation?',
      message: `Stop generating “${job.course_title}”? Lessons and tasks written so far are kept.`,
      confirmLabel: 'Cancel job',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.setBusy(job.id, true);
          return this.store.cancel(job.id);
        }),
      )
      .subscribe({
        next: () => this.snackBar.open('Generation cancelled', undefined, { duration: 4000 }),
        error: (error: unknown) => {
          this.setBusy(job.id, false);
          this.snackBar.open(errorMessage(error, 'The job could not be cancelled.'), 'Dismiss');
        },
        complete: () => this.setBusy(job.id, false),
      });
  }

  /** Retry asks first, saying how many steps will run again. */
  protected retry(job: JobView): void {
    confirmAction(this.dialog, retryConfirmation(job))
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.setBusy(job.id, true);
          return this.store.retry(job.id);
        }),
      )
      .subscribe({
        next: () => this.snackBar.open('Retry queued', undefined, { duration: 4000 }),
        error: (error: unknown) => {
          this.setBusy(job.id, false);
          this.snackBar.open(errorMessage(error, 'The job could not be retried.'), 'Dismiss');
        },
        complete: () => this.setBusy(job.id, false),
      });
  }

  /** Resume asks for an optional higher cap; the dialog shows a refusal (409, 402) itself. */
  protected resume(job: JobView): void {
    this.setBusy(job.id, true);
    openResumeDialog(this.dialog, {
      job,
      resume: (maxCostUsd) => this.store.resume(job.id, maxCostUsd),
    }).subscribe((resumed) => {
      this.setBusy(job.id, false);
      if (resumed) {
        this.snackBar.open('Generation resumed', undefined, { duration: 4000 });
      }
    });
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
