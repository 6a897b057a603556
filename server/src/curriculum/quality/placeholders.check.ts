import type { QualityProblem } from '../../../../contracts/api';
import { proseOf } from './markdown-text';
import { itemsOf, problem, type QualityTree } from './quality-tree';

/**
 * Placeholder text anywhere in prose (code blocks and inline code are left out: "// TODO" in an exercise's starter
 * code is content). TODO and TBD only in capitals ("todo" is Spanish and Portuguese for "all"); "placeholder" only
 * as a marker ("[placeholder]", "placeholder text"), since web and SQL courses use the word.
 */
const TEXT_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\blorem ipsum\b|\bdolor sit amet\b/i, what: '"Lorem ipsum"' },
  { pattern: /\bTBD\b/, what: '"TBD"' },
  { pattern: /\bTODO\b/, what: '"TODO"' },
  { pattern: /\[\s*insert\b[^\]\n]{0,200}\]/i, what: 'an "[insert …]" marker' },
  {
    pattern: /[[(<{]\s*placeholder\b|\bplaceholder (?:text|content|title|lesson|task|project)\b/i,
    what: 'a placeholder marker',
  },
];

/** A title that is only a generic word and a number: "Lesson 1", "Task 2:", "Project 3.1". */
const NUMBERED_TITLE =
  /^\s*(?:lesson|task|project|module|unit|chapter|part|section|step|exercise)\s*#?\s*\d+(?:\.\d+)*\s*[:.)\-–—]?\s*$/i;

const placeholderIn = (text: string): string | null =>
  TEXT_PATTERNS.find((p) => p.pattern.test(text))?.what ?? null;

/** Placeholder text in titles and bodies, and titles that are only "Lesson 1"-style numbering. */
export function checkPlaceholders(tree: QualityTree): QualityProblem[] {
  const problems: QualityProblem[] = [];
  for (const item of itemsOf(tree)) {
    if (NUMBERED_TITLE.test(item.title)) {
      problems.push(problem('placeholders', item.kind, item, `The title "${item.title}" is only a number`));
    } else if (/\bplaceholder\b/i.test(item.title) || placeholderIn(item.title)) {
      problems.push(problem('placeholders', item.kind, item, `The title "${item.title}" is a placeholder`));
    }
    const found = placeholderIn([...item.texts, ...item.markdown.map(proseOf)].join('\n'));
    if (found) {
      problems.push(problem('placeholders', item.kind, item, `The ${item.kind}'s text contains ${found}`));
    }
  }
  return problems;
}
