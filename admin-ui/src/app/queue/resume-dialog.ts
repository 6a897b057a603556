import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { JobView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { RouterLink } from '@angular/router';
import { Observable, firstValueFrom, map } from 'rxjs';

import { errorMessage, isBudgetExhausted } from '../shared/api-error';
import { JOB_CAP_RULES, parseUsd, usdSetting } from '../shared/budget';
import { formatCost } from '../shared/cost';
import { CostCapField } from '../shared/cost-cap-field';

export interface ResumeDialogData {
  readonly job: Pick<
    JobView,
    'course_title' | 'cost_usd' | 'unpriced_calls' | 'max_cost_usd' | 'pause_reason'
  >;
  /** Resumes the job (the page's store: the request, then a refresh); a new cap when given. */
  readonly resume: (maxCostUsd: number | undefined) => Observable<unknown>;
}

/**
 * **Resume** of a paused job (docs/queue.md, "Paused jobs"): why it paused, its cap and spend, an optional higher cap.
 * Refusals stay in the dialog: 409 (not paused, or the cap is not above the spend) and 402 (the monthly budget is
 * still used up, with a link to Settings).
 */
@Component({
  selector: 'cl-resume-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButtonModule,
    RouterLink,
    CostCapField,
  ],
  template: `
    <h2 mat-dialog-title data-testid="resume-title">Resume “{{ data.job.course_title }}”?</h2>
    <mat-dialog-content>
      @if (data.job.pause_reason) {
        <p data-testid="resume-reason">{{ data.job.pause_reason }}</p>
      }
      <p data-testid="resume-facts">Cost cap: {{ currentCap }} · spent so far: {{ spent }}</p>
      <p class="muted">It goes on in a new run; what it has written is kept and not paid for again.</p>
      <cl-cost-cap-field
        label="New cost cap (USD)"
        testId="resume-cap"
        hint="Leave empty to keep the current cap."
        [rules]="rules"
        [value]="capText()"
        (valueChange)="capText.set($event)"
        [disabled]="sending()"
      />
      @if (error(); as failure) {
        <div class="error" role="alert" data-testid="resume-error">
          <p>{{ failure.message }}</p>
          @if (failure.budget) {
            <a routerLink="/settings" mat-dialog-close data-testid="resume-budget-link"
              >See the budgets in Settings</a
            >
          }
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" mat-dialog-close data-testid="resume-cancel">Keep paused</button>
      <button
        matButton="filled"
        type="button"
        data-testid="resume-submit"
        [disabled]="sending() || cap().error !== null"
        (click)="submit()"
      >
        Resume
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResumeDialog {
  protected readonly data = inject<ResumeDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<ResumeDialog, boolean>>(MatDialogRef);

  protected readonly currentCap = usdSetting(this.data.job.max_cost_usd);
  protected readonly spent = formatCost(this.data.job.cost_usd, this.data.job.unpriced_calls);
  /** A new cap must be above the spend, or the job would pause again at once (the API answers 409). */
  protected readonly rules = {
    ...JOB_CAP_RULES,
    above: { usd: this.data.job.cost_usd ?? 0, what: 'what the job has spent' },
  };
  protected readonly capText = signal('');
  protected readonly cap = computed(() => parseUsd(this.capText(), this.rules));
  protected readonly sending = signal(false);
  protected readonly error = signal<{ message: string; budget: boolean } | null>(null);

  protected async submit(): Promise<void> {
    const cap = this.cap();
    if (cap.error) {
      return;
    }
    this.sending.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(this.data.resume(cap.value ?? undefined), { defaultValue: undefined });
    } catch (error) {
      this.sending.set(false);
      this.error.set({
        message: errorMessage(error, 'The job could not be resumed.'),
        budget: isBudgetExhausted(error),
      });
      return;
    }
    this.dialogRef.close(true);
  }
}

/** Opens the Resume dialog; emits true once the job was resumed. */
export function openResumeDialog(dialog: MatDialog, data: ResumeDialogData): Observable<boolean> {
  return dialog
    .open<ResumeDialog, ResumeDialogData, boolean>(ResumeDialog, { data, width: '480px' })
    .afterClosed()
    .pipe(map((resumed) => resumed === true));
}
