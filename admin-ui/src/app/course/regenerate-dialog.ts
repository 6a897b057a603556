import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  REGENERATION_INSTRUCTIONS_MAX,
  type GenerationEstimate,
  type QueueCourseResponse,
  type RegenerateRequest,
  type RegenerationTarget,
} from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { JobsApi } from '../queue/jobs-api';
import { apiErrorBody, errorMessage, httpStatus, isBudgetExhausted } from '../shared/api-error';
import { JOB_CAP_RULES, parseUsd } from '../shared/budget';
import { CostCapField } from '../shared/cost-cap-field';
import { EstimateLine } from '../shared/estimate-line';

export interface RegenerateDialogData {
  readonly courseId: string;
  readonly target: RegenerationTarget;
  /** The project (project_lessons) or lesson (lesson_tasks). */
  readonly itemId: string;
  readonly itemTitle: string;
  /** The project's lessons now: a project_lessons job writes about as many, then the tasks of each. */
  readonly lessonCount: number;
}

/** What the dialog closes with: the queued job's id; undefined when cancelled. */
export type RegenerateDialogResult = string | undefined;

/**
 * **Regenerate…** on a project or lesson: optional instructions for the model, the expected number of model calls
 * and the server's estimate of tokens, cost and time, an optional cost cap, then a `course_regeneration` job
 * (docs/regeneration.md, docs/costs.md). A 409 (the course already has an active job) stays in the dialog with a
 * link to that job; a 402 (the monthly budget is used up) with a link to Settings.
 */
@Component({
  selector: 'cl-regenerate-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    RouterLink,
    EstimateLine,
    CostCapField,
  ],
  templateUrl: './regenerate-dialog.html',
  styles: `
    .what,
    .calls {
      margin: 0 0 12px;
    }
    .instructions {
      width: 100%;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegenerateDialog {
  protected readonly data = inject<RegenerateDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<RegenerateDialog, RegenerateDialogResult>>(MatDialogRef);
  private readonly api = inject(JobsApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly max = REGENERATION_INSTRUCTIONS_MAX;
  protected readonly instructions = signal('');
  protected readonly sending = signal(false);
  protected readonly error = signal<{ message: string; jobId: string | null; budget: boolean } | null>(null);
  protected readonly estimate = signal<GenerationEstimate | null>(null);
  protected readonly estimateError = signal<string | null>(null);
  /** The optional cost cap as typed; empty = the organization's default cap. */
  protected readonly costCap = signal('');
  protected readonly cap = computed(() => parseUsd(this.costCap(), JOB_CAP_RULES));

  protected readonly heading = computed(() =>
    this.data.target === 'lesson_tasks'
      ? `Regenerate the tasks of “${this.data.itemTitle}”`
      : `Regenerate the lessons of “${this.data.itemTitle}”`,
  );
  protected readonly replaced = this.data.target === 'lesson_tasks' ? 'tasks' : 'lessons and their tasks';
  protected readonly expectedCalls = expectedModelCalls(this.data.target, this.data.lessonCount);

  constructor() {
    void this.loadEstimate();
  }

  private async loadEstimate(): Promise<void> {
    try {
      // Closing the dialog cancels the request (no answer, defaultValue null).
      const estimate = await firstValueFrom(
        this.api
          .estimate(this.data.courseId, { target: this.data.target, id: this.data.itemId })
          .pipe(takeUntilDestroyed(this.destroyRef)),
        { defaultValue: null },
      );
      if (estimate) {
        this.estimate.set(estimate);
      }
    } catch (error) {
      this.estimateError.set(errorMessage(error, 'the estimate could not be loaded'));
    }
  }

  protected onInput(event: Event): void {
    this.instructions.set((event.target as HTMLTextAreaElement).value);
  }

  protected async submit(): Promise<void> {
    const instructions = this.instructions().trim();
    const cap = this.cap();
    if (cap.error) {
      return;
    }
    const request: RegenerateRequest = { target: this.data.target, id: this.data.itemId };
    if (instructions) {
      request.instructions = instructions;
    }
    if (cap.value !== null) {
      request.max_cost_usd = cap.value;
    }
    this.sending.set(true);
    this.error.set(null);
    let response: QueueCourseResponse | null;
    try {
      response = await firstValueFrom(
        this.api.regenerate(this.data.courseId, request).pipe(takeUntilDestroyed(this.destroyRef)),
        { defaultValue: null },
      );
    } catch (error) {
      this.sending.set(false);
      const jobId = apiErrorBody(error)?.['job_id'];
      this.error.set({
        message: errorMessage(error, 'The regeneration could not be queued.'),
        jobId: httpStatus(error) === 409 && typeof jobId === 'string' ? jobId : null,
        budget: isBudgetExhausted(error),
      });
      return;
    }
    if (response) {
      this.dialogRef.close(response.job_id);
    }
  }
}

/**
 * "Expected model calls: …": one call writes a lesson's tasks; a project's lessons take one call, then one per
 * new lesson for its tasks — about as many lessons as the project has now, so "about".
 */
export function expectedModelCalls(target: RegenerationTarget, lessonCount: number): string {
  if (target === 'lesson_tasks') {
    return '1';
  }
  const lessons = lessonCount === 1 ? '1 lesson' : `${lessonCount} lessons`;
  return `about ${1 + lessonCount} (1 for the lessons, then 1 for the tasks of each; the project has ${lessons} now)`;
}
