import {
  ChangeDetectionStrategy,
  Component,
  Pipe,
  PipeTransform,
  ViewEncapsulation,
  computed,
  input,
} from '@angular/core';
import { marked } from 'marked';

/**
 * Markdown → HTML for `[innerHTML]`, which runs Angular's sanitizer (scripts, event handlers and
 * `javascript:` URLs are stripped). Never bypass it: lesson text comes from a language model.
 */
export function renderMarkdown(source: string | null | undefined): string {
  if (!source) {
    return '';
  }
  return marked.parse(source, { async: false, gfm: true });
}

@Pipe({ name: 'markdown' })
export class MarkdownPipe implements PipeTransform {
  transform(source: string | null | undefined): string {
    return renderMarkdown(source);
  }
}

/**
 * Lesson content and task instructions as the learner sees them: sanitized Markdown (see `renderMarkdown`) with
 * styled headings, lists and code blocks. The one place the console renders Markdown; use it everywhere.
 */
@Component({
  selector: 'cl-markdown',
  template: `<div class="cl-markdown" [innerHTML]="html()"></div>`,
  // The rendered HTML is not part of this template, so encapsulated styles would not reach it: the rules are
  // global but scoped under `.cl-markdown`.
  encapsulation: ViewEncapsulation.None,
  styles: `
    cl-markdown {
      display: block;
    }
    .cl-markdown {
      line-height: 1.55;
      overflow-wrap: anywhere;
    }
    .cl-markdown > :first-child {
      margin-top: 0;
    }
    .cl-markdown > :last-child {
      margin-bottom: 0;
    }
    .cl-markdown h1,
    .cl-markdown h2,
    .cl-markdown h3,
    .cl-markdown h4 {
      margin: 12px 0 6px;
      line-height: 1.3;
    }
    .cl-markdown h1 {
      font-size: 1.3em;
    }
    .cl-markdown h2 {
      font-size: 1.2em;
    }
    .cl-markdown h3,
    .cl-markdown h4 {
      font-size: 1.05em;
    }
    .cl-markdown p,
    .cl-markdown ul,
    .cl-markdown ol,
    .cl-markdown pre,
    .cl-markdown blockquote {
      margin: 6px 0;
    }
    .cl-markdown ul,
    .cl-markdown ol {
      padding-left: 24px;
    }
    .cl-markdown code {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.92em;
      padding: 1px 4px;
      border-radius: 4px;
      background: #f1f5f9;
      color: #1e293b;
    }
    .cl-markdown pre {
      padding: 10px 12px;
      border-radius: 6px;
      overflow-x: auto;
      background: #1e293b;
      color: #f1f5f9;
    }
    .cl-markdown pre code {
      padding: 0;
      background: none;
      color: inherit;
      white-space: pre;
    }
    .cl-markdown blockquote {
      padding-left: 12px;
      border-left: 3px solid var(--mat-sys-outline-variant);
      color: var(--mat-sys-on-surface-variant);
    }
    .cl-markdown table {
      border-collapse: collapse;
    }
    .cl-markdown th,
    .cl-markdown td {
      padding: 2px 8px;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .cl-markdown a {
      color: var(--mat-sys-primary);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MarkdownView {
  readonly source = input<string | null | undefined>('');
  protected readonly html = computed(() => renderMarkdown(this.source()));
}
