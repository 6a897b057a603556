import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { REGENERATION_INSTRUCTIONS_MAX, type RegenerationTarget } from '@contracts/api';
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

import { JobsApi } from '../queue/jobs-api';
import { apiErrorBody, errorMessage, httpStatus } from '../shared/api-error';

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
 * **Regenerate…** on a project or lesson: optional instructions for the model, the expected number of model calls,
 * then a `course_regeneration` job (docs/regeneration.md). A 409 (the course already has an active job) stays in
 * the dialog with a link to that job.
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
  protected readonly error = signal<{ message: string; jobId: string | null } | null>(null);

  protected readonly heading = computed(() =>
    this.data.target === 'lesson_tasks'
      ? `Regenerate the tasks of “${this.data.itemTitle}”`
      : `Regenerate the lessons of “${this.data.itemTitle}”`,
  );
  protected readonly replaced = this.data.target === 'lesson_tasks' ? 'tasks' : 'lessons and their tasks';
  protected readonly expectedCalls = expectedModelCalls(this.data.target, this.data.lessonCount);

  protected onInput(event: Event): void {
    this.instructions.set((event.target as HTMLTextAreaElement).value);
  }

  protected submit(): void {
    const instructions = this.instructions().trim();
    this.sending.set(true);
    this.error.set(null);
    this.api
      .regenerate(this.data.courseId, {
        target: this.data.target,
        id: this.data.itemId,
        ...(instructions ? { instructions } : {}),
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => this.dialogRef.close(response.job_id),
        error: (error: unknown) => {
          this.sending.set(false);
          const jobId = apiErrorBody(error)?.['job_id'];
          this.error.set({
            message: errorMessage(error, 'The regeneration could not be queued.'),
            jobId: httpStatus(error) === 409 && typeof jobId === 'string' ? jobId : null,
          });
        },
      });
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
