import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'cl-curriculum-page',
  template: `
    <h1>Curriculum</h1>
    <p>The course list and upload arrive in a later release.</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CurriculumPage {}
