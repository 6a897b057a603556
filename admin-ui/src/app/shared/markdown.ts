import { Pipe, PipeTransform } from '@angular/core';
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
