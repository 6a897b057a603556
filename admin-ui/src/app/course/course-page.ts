import { ChangeDetectionStrategy, Component, input } from '@angular/core';

@Component({
  selector: 'cl-course-page',
  template: `
    <h1>Course</h1>
    <p>
      The review of course <code data-testid="course-id">{{ id() }}</code> arrives in a later release.
    </p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CoursePage {
  /** Bound from the `:id` route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();
}
