import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { ApprovedPanel } from './steps/approved-panel';
import { ManualSteps } from './steps/manual-steps';
import { ProposalsStep } from './steps/proposals-step';
import { TopicStep } from './steps/topic-step';
import { WizardStore } from './wizard-store';

/**
 * `/admin/courses/new`: topic → outline proposals → approve → Generate & Queue, or step by step. One step
 * component per stage; they share the page's `WizardStore`, which holds the state and every transition.
 */
@Component({
  selector: 'cl-wizard-page',
  imports: [RouterLink, TopicStep, ProposalsStep, ApprovedPanel, ManualSteps],
  providers: [WizardStore],
  template: `
    <h1>New course</h1>

    @if (store.error(); as error) {
      <div class="error-box" role="alert" data-testid="wizard-error">
        <span>{{ error }}</span>
        @if (store.activeJobId()) {
          <a routerLink="/course-generation-queue" data-testid="wizard-active-job-link"
            >Open the generation queue</a
          >
        }
        @if (store.budgetExhausted()) {
          <a routerLink="/settings" data-testid="wizard-budget-link">See the budgets in Settings</a>
        }
      </div>
    }

    @switch (store.step()) {
      @case ('topic') {
        <cl-topic-step />
      }
      @case ('outlines') {
        <cl-proposals-step />
      }
      @case ('approved') {
        <cl-approved-panel />
      }
      @default {
        <cl-manual-steps />
      }
    }
  `,
  styles: `
    .error-box {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      flex-direction: column;
      color: var(--mat-sys-error);
      margin: 12px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WizardPage {
  protected readonly store = inject(WizardStore);
}
