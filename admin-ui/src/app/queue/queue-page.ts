import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'cl-queue-page',
  template: `
    <h1>Generation Queue</h1>
    <p>The course generation job table arrives in a later release.</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QueuePage {}
