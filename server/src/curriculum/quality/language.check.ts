import type { QualityProblem } from '../../../../contracts/api';
import { proseOf } from './markdown-text';
import { itemsOf, problem, type QualityTree } from './quality-tree';

/** Languages written in a script of their own, by primary subtag: their letters are easy to count. */
const SCRIPTS: Record<string, { name: string; letters: RegExp }> = {};
const script = (langs: string[], name: string, letters: RegExp): void =>
  langs.forEach((l) => (SCRIPTS[l] = { name, letters }));
script(['ru', 'uk', 'bg', 'be', 'mk', 'kk', 'ky', 'mn'], 'Cyrillic', /\p{Script=Cyrillic}/gu);
script(['el'], 'Greek', /\p{Script=Greek}/gu);
script(['ja'], 'Japanese', /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu);
script(['zh'], 'Chinese', /\p{Script=Han}/gu);
script(['ko'], 'Korean', /[\p{Script=Hangul}\p{Script=Han}]/gu);
script(['ar', 'fa', 'ur'], 'Arabic', /\p{Script=Arabic}/gu);
script(['he', 'yi'], 'Hebrew', /\p{Script=Hebrew}/gu);
script(['hi', 'mr', 'ne'], 'Devanagari', /\p{Script=Devanagari}/gu);
script(['th'], 'Thai', /\p{Script=Thai}/gu);

/** Below this share of the expected script among a text's letters, the text is in another language. */
export const MIN_SCRIPT_SHARE = 0.3;
/** Fewer letters than this (a short task title) say nothing either way. */
export const MIN_LETTERS = 40;

/**
 * Common English words that are rarely words of other Latin-script languages ("in", "is", "to", "for" are left out:
 * German, Dutch, Polish and Danish use them).
 */
const ENGLISH = new Set([
  'the',
  'and',
  'with',
  'you',
  'your',
  'this',
  'that',
  'are',
  'what',
  'which',
  'from',
]);
/** In English prose these are about a fifth of the words; in another language next to none. */
export const MAX_ENGLISH_SHARE = 0.1;
export const MIN_WORDS = 40;

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** A lesson is far shorter; its opening says which language it is in, and the check stays cheap on any input. */
export const MAX_SAMPLE_CHARS = 20_000;

/** Why `text` does not look like `language`, or null — when that can be told cheaply (docs/generation.md). */
export function languageMismatch(
  whole: string,
  language: string,
): { message: string; error: boolean } | null {
  const text = whole.slice(0, MAX_SAMPLE_CHARS);
  const primary = language.toLowerCase().split(/[-_]/)[0];
  const expected = SCRIPTS[primary];
  if (expected) {
    const letters = count(text, /\p{L}/gu);
    if (letters < MIN_LETTERS) return null;
    const share = count(text, expected.letters) / letters;
    if (share >= MIN_SCRIPT_SHARE) return null;
    return {
      message: `is not written in ${expected.name} script (${Math.round(share * 100)}% of its letters), as "${language}" expects`,
      error: true,
    };
  }
  if (primary === 'en') return null;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < MIN_WORDS) return null;
  const english = words.filter((w) => ENGLISH.has(w)).length / words.length;
  if (english <= MAX_ENGLISH_SHARE) return null;
  return {
    message: `looks like English (${Math.round(english * 100)}% common English words), not "${language}"`,
    error: false,
  };
}

/**
 * The course language, where it is cheap to check: each lesson's and task's prose (code left out) in the script
 * its language uses (an error otherwise), or — for a Latin-script language other than English — not dominated by
 * common English words (a warning at most). Projects are the approved outline's and are not checked.
 */
export function checkLanguage(tree: QualityTree): QualityProblem[] {
  const problems: QualityProblem[] = [];
  for (const item of itemsOf(tree)) {
    if (item.kind === 'project') continue;
    const text = [item.title, ...item.texts, ...item.markdown.map(proseOf)].join('\n');
    const found = languageMismatch(text, tree.language);
    if (found) {
      problems.push(
        problem(
          'language',
          item.kind,
          item,
          `The ${item.kind}'s text ${found.message}`,
          found.error ? 'error' : 'warning',
        ),
      );
    }
  }
  return problems;
}
