import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { StepView } from '@contracts/api';

import { stepBadge } from '../job-display';
import { stepDuration, stepTokens } from './step-tree-model';
import { formatCost } from '../../shared/cost';

/** One step of the tree: badge, attempts, duration, tokens, model, and its error when it failed. */
@Component({
  selector: 'cl-step-line',
  template: `
    <span class="label">{{ label() }}</span>
    <span
      [class]="'badge badge-' + badge().tone"
      data-testid="step-status"
      [attr.data-status]="step().status"
      >{{ badge().label }}</span
    >
    <span class="meta" data-testid="step-meta">
      <span data-testid="step-attempts" [attr.title]="history()">{{ attempts() }}</span> ·
      <span data-testid="step-duration">{{ duration() }}</span> ·
      <span data-testid="step-tokens" [attr.title]="cachedNote()">{{ tokens() }} tokens</span>
      @if (step().status === 'succeeded') {
        · <span data-testid="step-cost">{{ cost() }}</span>
      }
      @if (step().model; as model) {
        · <span data-testid="step-model">{{ model }}</span>
      }
    </span>
    @if (step().status === 'failed' && step().error_message) {
      <p class="step-error" role="alert" data-testid="step-error">
        @if (step().error_kind; as kind) {
          <span class="kind">[{{ kind }}]</span>
        }
        {{ step().error_message }}
      </p>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
    }
    .label {
      font-weight: 500;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
      font-size: 13px;
    }
    .step-error {
      flex-basis: 100%;
      margin: 2px 0 0;
      color: var(--mat-sys-error);
      font-size: 13px;
      white-space: pre-wrap;
      word-break: break-word;
    }
    .kind {
      font-weight: 600;
    }
  `,
  styleUrl: '../../shared/status-badges.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StepLine {
  readonly step = input.required<StepView>();
  readonly label = input.required<string>();

  protected readonly badge = computed(() => stepBadge(this.step().status));
  protected readonly attempts = computed(() => {
    const n = this.step().attempts;
    return `${n} attempt${n === 1 ? '' : 's'}`;
  });
  /** Each attempt's outcome, as the attempts' tooltip: "1: failed (transient: …) · 2: succeeded". */
  protected readonly history = computed(() =>
    this.step()
      .attempt_history.map((a) => {
        const error =
          a.error_kind || a.error_message
            ? ` (${[a.error_kind, a.error_message].filter(Boolean).join(': ')})`
            : '';
        return `${a.attempt}: ${a.outcome}${error}`;
      })
      .join(' · '),
  );
  protected readonly duration = computed(() => stepDuration(this.step().duration_ms));
  protected readonly tokens = computed(() => stepTokens(this.step()));
  protected readonly cost = computed(() => formatCost(this.step().cost_usd));
  protected readonly cachedNote = computed(() =>
    this.step().cached_tokens > 0
      ? `${this.step().cached_tokens.toLocaleString('en-US')} prompt tokens cached`
      : '',
  );
}
