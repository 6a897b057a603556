import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { MarkdownView } from '../../shared/markdown';
import { SampleProviderNote } from '../../shared/sample-provider-note';
import { WizardStore } from '../wizard-store';

const STEP_TITLES: Record<string, string> = {
  lessons: 'Step 1 of 3 · Generate lessons',
  tasks: 'Step 2 of 3 · Generate tasks',
  review: 'Step 3 of 3 · Review and publish',
};

/** Generate Manually: lessons → tasks → review and publish, with the content rendered as the learner sees it. */
@Component({
  selector: 'cl-manual-steps',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, MarkdownView, SampleProviderNote],
  templateUrl: './manual-steps.html',
  styles: `
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .review {
      margin: 16px 0;
    }
    .content {
      margin: 6px 0 10px;
      padding: 6px 12px;
      border-left: 3px solid var(--mat-sys-outline-variant);
    }
    .task-title {
      margin: 12px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .success {
      color: #15803d;
    }
    .error-box {
      color: var(--mat-sys-error);
      margin: 12px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ManualSteps {
  protected readonly store = inject(WizardStore);
  protected readonly title = computed(() => STEP_TITLES[this.store.step()] ?? '');
}
