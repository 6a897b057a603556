import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';

import { CostCapField } from '../../shared/cost-cap-field';
import { EstimateLine } from '../../shared/estimate-line';
import { WizardStore } from '../wizard-store';

/**
 * Step 3, "Course Structure Approved": Generate & Queue (with auto-publish, the estimate and an optional cost cap —
 * docs/costs.md, "Budgets and estimates") or Generate Manually.
 */
@Component({
  selector: 'cl-approved-panel',
  imports: [MatCheckboxModule, MatProgressBarModule, EstimateLine, CostCapField],
  template: `
    <section class="approved" data-testid="approved-panel" aria-labelledby="approved-heading">
      <h2 id="approved-heading">Course Structure Approved</h2>
      <p class="approved-title" data-testid="approved-title">“{{ store.draft()?.title }}”</p>
      <p class="approved-summary" data-testid="approved-summary">
        {{ store.projectCount() }} Projects | Ready for content generation
      </p>
      <div class="choices">
        <button
          type="button"
          class="choice recommended"
          data-testid="generate-and-queue"
          [disabled]="store.busy() !== null || store.costCapError() !== null"
          (click)="queue()"
        >
          <span class="choice-title">Generate &amp; Queue</span>
          <span class="choice-tag"> (Recommended) </span>
          <span class="choice-text"> Queue for background processing. View progress in queue.</span>
        </button>
        <button
          type="button"
          class="choice"
          data-testid="generate-manually"
          [disabled]="store.busy() !== null"
          (click)="store.startManual()"
        >
          <span class="choice-title">Generate Manually</span>
          <span class="choice-tag"> (Step by step) </span>
          <span class="choice-text"> Continue with current wizard flow.</span>
        </button>
      </div>
      <cl-estimate-line [estimate]="store.estimate()" [error]="store.estimateError()" />
      <mat-checkbox
        data-testid="auto-publish"
        [checked]="store.autoPublish()"
        (change)="store.setAutoPublish($event.checked)"
      >
        Auto-publish when complete
      </mat-checkbox>
      <div class="cap-row">
        <cl-cost-cap-field
          label="Cost cap (USD)"
          hint="Optional: the job pauses at this spend. Empty = the default cap."
          [value]="store.costCap()"
          (valueChange)="store.setCostCap($event)"
          [disabled]="store.busy() !== null"
        />
      </div>
      @if (store.busy() === 'queue') {
        <mat-progress-bar mode="indeterminate" aria-label="Queueing the course" />
      }
    </section>
  `,
  styleUrl: './approved-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApprovedPanel {
  protected readonly store = inject(WizardStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);

  protected queue(): void {
    this.store.queue(() => {
      this.snackBar.open('Course queued for generation', undefined, { duration: 5000 });
      void this.router.navigateByUrl('/course-generation-queue');
    });
  }
}
