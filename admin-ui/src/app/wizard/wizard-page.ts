import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'cl-wizard-page',
  template: `
    <h1>New course</h1>
    <p>The course wizard (topic, outlines, generate &amp; queue) arrives in a later release.</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WizardPage {}
