import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { diffCounts, sideBySide } from './version-diff';

/**
 * The version (left) beside the current content (right), line by line. Removed text is in `<del>` (struck
 * through), added text in `<ins>` (underlined), and changed lines carry −/+ in the gutter, so the change does not
 * rest on colour alone.
 */
@Component({
  selector: 'cl-version-diff-view',
  template: `
    <p class="legend" data-testid="diff-legend">
      <del>Removed</del>: in this version, not in the current content ({{ counts().removed }}
      {{ counts().removed === 1 ? 'line' : 'lines' }}) · <ins>Added</ins>: in the current content, not in this
      version ({{ counts().added }} {{ counts().added === 1 ? 'line' : 'lines' }})
    </p>
    @if (!counts().removed && !counts().added) {
      <p class="same" data-testid="diff-identical">This version is the same as the current content.</p>
    }
    <table class="diff" data-testid="version-diff">
      <colgroup>
        <col class="gutter-col" />
        <col />
        <col class="gutter-col" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" colspan="2">{{ beforeLabel() }}</th>
          <th scope="col" colspan="2">{{ afterLabel() }}</th>
        </tr>
      </thead>
      <tbody>
        @for (row of rows(); track $index) {
          <tr [class.changed]="row.changed">
            <td class="gutter" aria-hidden="true">{{ row.changed && row.left ? '−' : '' }}</td>
            <td class="side" [class.empty]="!row.left" data-testid="diff-left">
              @for (segment of row.left ?? []; track $index) {
                @switch (segment.change) {
                  @case ('removed') {
                    <del data-testid="diff-removed">{{ segment.text }}</del>
                  }
                  @default {
                    <span>{{ segment.text }}</span>
                  }
                }
              }
            </td>
            <td class="gutter" aria-hidden="true">{{ row.changed && row.right ? '+' : '' }}</td>
            <td class="side" [class.empty]="!row.right" data-testid="diff-right">
              @for (segment of row.right ?? []; track $index) {
                @switch (segment.change) {
                  @case ('added') {
                    <ins data-testid="diff-added">{{ segment.text }}</ins>
                  }
                  @default {
                    <span>{{ segment.text }}</span>
                  }
                }
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .legend,
    .same {
      color: var(--mat-sys-on-surface-variant);
      font-size: 13px;
    }
    .diff {
      width: 100%;
      border-collapse: collapse;
      table-layout: fixed;
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 12px;
    }
    th {
      text-align: left;
      padding: 4px 6px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      font-family: var(--mat-sys-body-medium-font);
    }
    .gutter-col {
      width: 1.5em;
    }
    .gutter {
      text-align: center;
      vertical-align: top;
      color: var(--mat-sys-on-surface-variant);
    }
    .side {
      padding: 1px 6px;
      vertical-align: top;
      white-space: pre-wrap;
      word-break: break-word;
    }
    .empty {
      background: var(--mat-sys-surface-container);
    }
    del {
      background: #fee2e2;
      color: #991b1b;
      text-decoration: line-through;
    }
    ins {
      background: #dcfce7;
      color: #166534;
      text-decoration: underline;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VersionDiffView {
  /** The version's text (left). */
  readonly before = input.required<string>();
  /** The current content's text (right). */
  readonly after = input.required<string>();
  readonly beforeLabel = input('This version');
  readonly afterLabel = input('Current content');

  protected readonly rows = computed(() => sideBySide(this.before(), this.after()));
  protected readonly counts = computed(() => diffCounts(this.rows()));
}
