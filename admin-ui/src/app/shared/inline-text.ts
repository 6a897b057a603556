import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { MarkdownView } from './markdown';

/**
 * A text shown as-is with an Edit button; editing swaps in an input (or textarea) with Save/Cancel.
 * With `markdown`, the text is shown rendered (`cl-markdown`) and editing edits the Markdown source beside a live
 * preview (`<testId>-preview`).
 * Test ids: `<testId>` (the text), `<testId>-edit`, `<testId>-input`, `<testId>-save`, `<testId>-cancel`.
 */
@Component({
  selector: 'cl-inline-text',
  imports: [MatButtonModule, MarkdownView],
  templateUrl: './inline-text.html',
  styleUrl: './inline-text.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InlineText {
  readonly value = input.required<string>();
  readonly label = input.required<string>();
  readonly testId = input.required<string>();
  readonly multiline = input(false);
  /** Show the text rendered as Markdown; edit its source with a preview. */
  readonly markdown = input(false);
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
