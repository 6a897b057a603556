import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { GenerationEstimate } from '@contracts/api';

import { estimateSource, estimateText } from './budget';

/**
 * What queueing will cost and take, on one line (docs/costs.md, "Budgets and estimates"): the wizard's approved
 * panel and the Regenerate dialog.
 */
@Component({
  selector: 'cl-estimate-line',
  template: `
    <p class="estimate" data-testid="estimate" aria-live="polite">
      <span class="label">Estimate:</span>
      @if (estimate(); as e) {
        <span data-testid="estimate-figures">{{ figures() }}</span>
        <span class="source" data-testid="estimate-source">{{ source() }}</span>
      } @else if (error()) {
        <span class="unavailable" data-testid="estimate-error">not available ({{ error() }})</span>
      } @else {
        <span class="source" data-testid="estimate-loading">working it out…</span>
      }
    </p>
  `,
  styles: `
    .estimate {
      margin: 0 0 12px;
    }
    .label {
      font-weight: 600;
      margin-right: 4px;
    }
    .source,
    .unavailable {
      margin-left: 4px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EstimateLine {
  readonly estimate = input<GenerationEstimate | null>(null);
  /** Why the estimate could not be loaded (queueing still works). */
  readonly error = input<string | null>(null);

  protected readonly figures = computed(() => {
    const e = this.estimate();
    return e ? estimateText(e) : '';
  });
  protected readonly source = computed(() => {
    const e = this.estimate();
    return e ? estimateSource(e) : '';
  });
}
