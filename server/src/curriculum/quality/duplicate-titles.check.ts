import type { QualityProblem } from '../../../../contracts/api';
import { problem, type ItemKind, type QualityTree } from './quality-tree';

/**
 * Lower-case, without diacritics, punctuation, symbols or extra spaces: "Intro to Bees" and "Intro to bees!" are the
 * same title.
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The bigrams of a string, counted (the string's own length bounds the work). */
function bigrams(s: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const pair = s.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Sørensen–Dice similarity of two strings' bigrams, 0–1 (1: the same bigrams); linear in their lengths. */
export function diceSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const left = bigrams(a);
  let shared = 0;
  for (const [pair, count] of bigrams(b)) shared += Math.min(count, left.get(pair) ?? 0);
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

const numbersOf = (s: string): string => (s.match(/\p{N}+/gu) ?? []).join(' ');

/**
 * Whether two titles (already normalized) are near-duplicates: the same, or at least `threshold` similar — unless
 * their numbers differ ("Part 1: basics" and "Part 2: basics" are a sequence, not a repeat).
 */
export function nearDuplicate(a: string, b: string, threshold: number): boolean {
  if (a === b) return true;
  if (numbersOf(a) !== numbersOf(b)) return false;
  return diceSimilarity(a, b) >= threshold;
}

/** Each later sibling that (nearly) repeats an earlier one. Siblings are few (≤ 50 projects, ≤ 8 of the others). */
function siblings(
  kind: ItemKind,
  items: { id: string; title: string }[],
  threshold: number,
): QualityProblem[] {
  const problems: QualityProblem[] = [];
  const normalized = items.map((i) => normalizeTitle(i.title));
  for (let j = 1; j < items.length; j++) {
    for (let i = 0; i < j; i++) {
      if (!nearDuplicate(normalized[i], normalized[j], threshold)) continue;
      const same = normalized[i] === normalized[j];
      problems.push(
        problem(
          'duplicate_titles',
          kind,
          items[j],
          `"${items[j].title}" ${same ? 'repeats' : 'nearly repeats'} the title of its sibling ${kind} "${items[i].title}"`,
        ),
      );
      break;
    }
  }
  return problems;
}

/** Near-duplicate titles among the projects of the course, the lessons of a project and the tasks of a lesson. */
export function checkDuplicateTitles(tree: QualityTree, threshold: number): QualityProblem[] {
  return [
    ...siblings('project', tree.projects, threshold),
    ...tree.projects.flatMap((p) => [
      ...siblings('lesson', p.lessons, threshold),
      ...p.lessons.flatMap((l) => siblings('task', l.tasks, threshold)),
    ]),
  ];
}
