import { Marked } from 'marked';
import type { QualityProblem } from '../../../../contracts/api';
import { scanFences } from './markdown-text';
import { itemsOf, problem, type QualityTree } from './quality-tree';

/** The export's settings (curriculum/export/lesson-html.ts): what renders here renders there. */
const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Why a Markdown body would not render well, or null. */
export function markdownProblem(markdown: string): string | null {
  if (markdown.trim() === '') return 'is empty';
  const { unclosedAt } = scanFences(markdown);
  if (unclosedAt !== null) return `has a code block opened on line ${unclosedAt} and never closed`;
  try {
    if ((marked.parse(markdown) as string).trim() === '') return 'renders to nothing';
  } catch (err) {
    return `does not render: ${(err as Error).message}`;
  }
  return null;
}

/** Lesson content and task instructions: not empty, every code fence closed, rendered by marked without error. */
export function checkMarkdown(tree: QualityTree): QualityProblem[] {
  const problems: QualityProblem[] = [];
  for (const item of itemsOf(tree)) {
    for (const body of item.markdown) {
      const why = markdownProblem(body);
      const field = item.kind === 'lesson' ? 'content' : 'instructions';
      if (why) problems.push(problem('markdown', item.kind, item, `The ${item.kind}'s ${field} ${why}`));
    }
  }
  return problems;
}
