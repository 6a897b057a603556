import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * A text shown as-is with an Edit button; editing swaps in an input (or textarea) with Save/Cancel.
 * Test ids: `<testId>` (the text), `<testId>-edit`, `<testId>-input`, `<testId>-save`, `<testId>-cancel`.
 */
@Component({
  selector: 'cl-inline-text',
  imports: [MatButtonModule],
  template: `
    @if (editing()) {
      <span class="editing">
        @if (multiline()) {
          <textarea
            rows="4"
            [attr.aria-label]="label()"
            [attr.data-testid]="testId() + '-input'"
            [value]="draft()"
            (input)="onInput($event)"
            (keydown.escape)="editing.set(false)"
          ></textarea>
        } @else {
          <input
            [attr.aria-label]="label()"
            [attr.data-testid]="testId() + '-input'"
            [value]="draft()"
            (input)="onInput($event)"
            (keydown.enter)="commit()"
            (keydown.escape)="editing.set(false)"
          />
        }
        <button matButton="filled" type="button" [attr.data-testid]="testId() + '-save'" (click)="commit()">
          Save
        </button>
        <button
          matButton
          type="button"
          [attr.data-testid]="testId() + '-cancel'"
          (click)="editing.set(false)"
        >
          Cancel
        </button>
      </span>
    } @else {
      <span class="shown">
        <span [attr.data-testid]="testId()" [class.placeholder]="!value()">{{
          value() || placeholder()
        }}</span>
        @if (editable()) {
          <button
            matButton
            type="button"
            class="edit"
            [attr.aria-label]="'Edit ' + label()"
            [attr.data-testid]="testId() + '-edit'"
            (click)="start()"
          >
            Edit
          </button>
        }
      </span>
    }
  `,
  styles: `
    .editing {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: flex-start;
    }
    input,
    textarea {
      flex: 1 1 320px;
      font: inherit;
      padding: 6px 8px;
    }
    .placeholder {
      color: var(--mat-sys-on-surface-variant);
      font-style: italic;
    }
    .edit {
      margin-left: 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InlineText {
  readonly value = input.required<string>();
  readonly label = input.required<string>();
  readonly testId = input.required<string>();
  readonly multiline = input(false);
  readonly editable = input(true);
  readonly placeholder = input('(empty)');
  /** The new text, when it changed. */
  readonly save = output<string>();

  protected readonly editing = signal(false);
  protected readonly draft = signal('');

  protected start(): void {
    this.draft.set(this.value());
    this.editing.set(true);
  }

  protected onInput(event: Event): void {
    this.draft.set((event.target as HTMLInputElement | HTMLTextAreaElement).value);
  }

  protected commit(): void {
    const text = this.draft();
    this.editing.set(false);
    if (text !== this.value()) {
      this.save.emit(text);
    }
  }
}
