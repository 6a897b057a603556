import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { JobView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { progressPercent, progressText } from '../queue/job-display';
import { StatusPill, type StatusBadge } from '../shared/status-pill';

/**
 * A project's or lesson's **Regenerate…** and **History** buttons, and while a job regenerates it, "Regenerating…"
 * with the job's progress and a link to its page. Test ids: `regenerate-lessons`/`regenerate-tasks`,
 * `history-project`/`history-lesson`, `regenerating-<itemId>`.
 */
@Component({
  selector: 'cl-part-actions',
  imports: [MatButtonModule, MatProgressBarModule, RouterLink, StatusPill],
  template: `
    <span class="buttons">
      <button
        matButton
        type="button"
        [disabled]="disabled() || !!job()"
        [attr.aria-label]="regenerateLabel()"
        [attr.data-testid]="kind() === 'project' ? 'regenerate-lessons' : 'regenerate-tasks'"
        (click)="regenerate.emit()"
      >
        {{ kind() === 'project' ? 'Regenerate lessons…' : 'Regenerate tasks…' }}
      </button>
      <button
        matButton
        type="button"
        [attr.aria-label]="'History of ' + kind() + ' “' + title() + '”'"
        [attr.data-testid]="'history-' + kind()"
        (click)="history.emit()"
      >
        History
      </button>
    </span>
    @if (job(); as running) {
      <div class="regenerating" role="status" [attr.data-testid]="'regenerating-' + itemId()">
        <cl-status-pill [badge]="regeneratingBadge" />
        <span class="progress">{{ progress() }}</span>
        <a [routerLink]="['/course-generation-queue', running.id]">Open the job</a>
        <mat-progress-bar
          [mode]="percent() === null ? 'indeterminate' : 'determinate'"
          [value]="percent() ?? 0"
          [attr.aria-label]="'Regenerating ' + title()"
        />
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .buttons {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .regenerating {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      max-width: 480px;
      margin: 4px 0 8px;
    }
    .regenerating mat-progress-bar {
      flex-basis: 100%;
    }
    .progress {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartActions {
  protected readonly regeneratingBadge: StatusBadge = { label: 'Regenerating…', tone: 'blue' };
  readonly kind = input.required<'project' | 'lesson'>();
  readonly itemId = input.required<string>();
  readonly title = input.required<string>();
  /** The active job regenerating this part, if any. */
  readonly job = input<JobView | null>(null);
  /** No new job now (the course has one running, or cannot be regenerated). */
  readonly disabled = input(false);

  readonly regenerate = output();
  readonly history = output();

  protected readonly regenerateLabel = computed(() =>
    this.kind() === 'project'
      ? // Starts with the visible text, so speech users can say what they see (WCAG 2.5.3).
        `Regenerate lessons… of project “${this.title()}”`
      : `Regenerate tasks… of lesson “${this.title()}”`,
  );
  protected readonly progress = computed(() => {
    const job = this.job();
    return job ? progressText(job) : '';
  });
  /** Null (an indeterminate bar) until the job has counted its items. */
  protected readonly percent = computed(() => {
    const job = this.job();
    return job && job.items_total > 0 ? progressPercent(job) : null;
  });
}
