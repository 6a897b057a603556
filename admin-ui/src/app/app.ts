import { ChangeDetectionStrategy, Component } from '@angular/core';

import { Shell } from './layout/shell';

@Component({
  selector: 'cl-root',
  imports: [Shell],
  template: '<cl-shell />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
