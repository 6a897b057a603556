import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type AmountRules, JOB_CAP_RULES, parseUsd } from './budget';

/**
 * An optional USD amount (a job's cost cap, docs/costs.md): empty = none. The owner of the value parses it with
 * the same `rules` (parseUsd) to know whether it may submit; this field shows why a value is refused.
 */
@Component({
  selector: 'cl-cost-cap-field',
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field appearance="outline" class="cap">
      <mat-label>{{ label() }}</mat-label>
      <span matTextPrefix>$&nbsp;</span>
      <input
        matInput
        inputmode="decimal"
        autocomplete="off"
        [attr.data-testid]="testId()"
        [value]="value()"
        [disabled]="disabled()"
        [attr.aria-invalid]="error() !== null"
        (input)="onInput($event)"
      />
      @if (error(); as message) {
        <mat-hint class="error" [attr.data-testid]="testId() + '-error'">{{ message }}</mat-hint>
      } @else if (hint()) {
        <mat-hint [attr.data-testid]="testId() + '-hint'">{{ hint() }}</mat-hint>
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
      width: 100%;
      max-width: 360px;
    }
    .cap {
      width: 100%;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CostCapField {
  /** The text as typed. */
  readonly value = model('');
  readonly label = input('Cost cap (USD, optional)');
  readonly hint = input<string | null>(null);
  readonly rules = input<AmountRules>(JOB_CAP_RULES);
  readonly disabled = input(false);
  readonly testId = input('cost-cap');

  protected readonly error = computed(() => parseUsd(this.value(), this.rules()).error);

  protected onInput(event: Event): void {
    this.value.set((event.target as HTMLInputElement).value);
  }
}
