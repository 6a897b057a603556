import { ChangeDetectionStrategy, Component } from '@angular/core';

export const SAMPLE_PROVIDER_TEXT = 'Sample generator — set LLM_PROVIDER to use a real model';

/** Shown wherever content comes from the built-in offline sample provider. */
@Component({
  selector: 'cl-sample-provider-note',
  template: `<p class="note" role="note" data-testid="sample-provider-note">{{ text }}</p>`,
  styles: `
    .note {
      display: inline-block;
      margin: 8px 0;
      padding: 4px 10px;
      border-radius: 6px;
      background: #fef3c7;
      color: #92400e;
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SampleProviderNote {
  protected readonly text = SAMPLE_PROVIDER_TEXT;
}
