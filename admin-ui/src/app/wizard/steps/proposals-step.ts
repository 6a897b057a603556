import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  viewChildren,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { SampleProviderNote } from '../../shared/sample-provider-note';
import { WizardStore } from '../wizard-store';
import { OutlineEditor } from './outline-editor';

const NEXT_KEYS = new Set(['ArrowDown', 'ArrowRight']);
const PREVIOUS_KEYS = new Set(['ArrowUp', 'ArrowLeft']);
const SELECT_KEYS = new Set([' ', 'Enter']);

/** Step 2: the proposals as a keyboard-operable radio group, the chosen one's editor, Approve. */
@Component({
  selector: 'cl-proposals-step',
  imports: [MatButtonModule, MatCardModule, MatProgressBarModule, SampleProviderNote, OutlineEditor],
  templateUrl: './proposals-step.html',
  styles: `
    .proposals {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
      gap: 16px;
    }
    .proposal {
      cursor: pointer;
    }
    .proposal:focus-visible {
      outline: 3px solid var(--mat-sys-tertiary);
      outline-offset: 2px;
    }
    .proposal.selected {
      outline: 3px solid var(--mat-sys-primary);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .actions {
      margin-top: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProposalsStep {
  protected readonly store = inject(WizardStore);
  private readonly cards = viewChildren('card', { read: ElementRef });

  /** The one card in the tab order: the selected one, else the first. */
  protected readonly tabStop = computed(() => this.store.selected() ?? 0);

  protected onKeydown(event: KeyboardEvent, focused: number): void {
    if (SELECT_KEYS.has(event.key)) {
      event.preventDefault();
      this.store.select(focused);
      return;
    }
    const delta = NEXT_KEYS.has(event.key) ? 1 : PREVIOUS_KEYS.has(event.key) ? -1 : 0;
    if (delta === 0) {
      return;
    }
    event.preventDefault();
    const count = this.cards().length;
    const target = (focused + delta + count) % count;
    this.store.select(target);
    (this.cards()[target]?.nativeElement as HTMLElement | undefined)?.focus();
  }

  protected regenerate(): void {
    const request = this.store.request();
    if (request) {
      this.store.generateOutlines(request);
    }
  }
}
