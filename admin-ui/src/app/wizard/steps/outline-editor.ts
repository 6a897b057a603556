import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { WizardStore } from '../wizard-store';

/** The chosen outline, editable: title, description, and projects (edit, reorder, add, remove). */
@Component({
  selector: 'cl-outline-editor',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './outline-editor.html',
  styles: `
    .editor {
      margin-top: 24px;
      max-width: 900px;
    }
    .wide {
      width: 100%;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .draft-projects {
      padding-left: 20px;
    }
    .draft-project {
      margin-bottom: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OutlineEditor {
  protected readonly store = inject(WizardStore);

  protected text(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }
}
