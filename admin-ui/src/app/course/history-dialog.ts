import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { RestoreVersionResponse, VersionSummary } from '@contracts/api';
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
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { VersionsApi } from '../curriculum/versions-api';
import { errorMessage } from '../shared/api-error';
import { confirmAction } from '../shared/confirm-dialog';
import { versionCause, versionDate } from './version-cause';
import { snapshotText } from './version-diff';
import { VersionDiffView } from './version-diff-view';

export interface HistoryDialogData {
  readonly courseId: string;
  /** The project or lesson whose versions are listed. */
  readonly itemId: string;
  readonly itemTitle: string;
  readonly itemKind: 'project' | 'lesson';
}

/** What the dialog closes with after a restore (the course as it is now); undefined otherwise. */
export type HistoryDialogResult = RestoreVersionResponse | undefined;

/**
 * **History** of a project or lesson: its versions, newest first (each the content as it was before the change it
 * names); the selected one beside the current content; **Restore this version**, confirmed (docs/regeneration.md).
 */
@Component({
  selector: 'cl-history-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButtonModule,
    MatProgressBarModule,
    RouterLink,
    VersionDiffView,
  ],
  templateUrl: './history-dialog.html',
  styleUrl: './history-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryDialog {
  protected readonly data = inject<HistoryDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<HistoryDialog, HistoryDialogResult>>(MatDialogRef);
  private readonly dialog = inject(MatDialog);
  private readonly api = inject(VersionsApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly versions = rxResource({
    stream: () => this.api.list(this.data.courseId, this.data.itemId),
  });
  private readonly chosen = signal<string | null>(null);
  /** The version shown: the one picked, else the newest. */
  protected readonly selectedId = computed(
    () => this.chosen() ?? this.versions.value()?.versions[0]?.id ?? null,
  );
  protected readonly detail = rxResource({
    params: () => this.selectedId() ?? undefined,
    stream: ({ params }) => this.api.get(this.data.courseId, params),
  });
  protected readonly before = computed(() => {
    const detail = this.detail.value();
    return detail ? snapshotText(detail.snapshot) : '';
  });
  protected readonly after = computed(() => {
    const detail = this.detail.value();
    return detail?.current ? snapshotText(detail.current) : '';
  });
  /** The version's item no longer exists (replaced since with its parent): nothing to compare or restore into. */
  protected readonly gone = computed(() => this.detail.value()?.current === null);
  protected readonly restoring = signal(false);
  protected readonly restoreError = signal<string | null>(null);

  protected select(version: VersionSummary): void {
    this.chosen.set(version.id);
    this.restoreError.set(null);
  }

  protected cause(version: VersionSummary): string {
    return versionCause(version, this.versions.value()?.versions ?? []);
  }

  protected date(iso: string): string {
    return versionDate(iso);
  }

  protected loadError(error: unknown, what: string): string {
    return errorMessage(error, `The ${what} could not be loaded.`);
  }

  protected async restore(version: VersionSummary): Promise<void> {
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: 'Restore this version?',
        message:
          `Replace the current content of “${this.data.itemTitle}” with the version of ` +
          `${versionDate(version.created_at)} (${version.label})? What is there now is kept as a version, so you ` +
          'can undo this from History.',
        confirmLabel: 'Restore',
      }).pipe(takeUntilDestroyed(this.destroyRef)),
      { defaultValue: false },
    );
    if (!confirmed) {
      return;
    }
    this.restoring.set(true);
    this.restoreError.set(null);
    let response: RestoreVersionResponse | null;
    try {
      // Closing the dialog cancels the request (no answer, defaultValue null).
      response = await firstValueFrom(
        this.api.restore(this.data.courseId, version.id).pipe(takeUntilDestroyed(this.destroyRef)),
        { defaultValue: null },
      );
    } catch (error) {
      this.restoring.set(false);
      this.restoreError.set(errorMessage(error, 'The version could not be restored.'));
      return;
    }
    if (response) {
      this.dialogRef.close(response);
    }
  }
}
