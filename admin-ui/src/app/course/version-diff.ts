import type { LessonView, TaskView, VersionSnapshot } from '@contracts/api';
import { diffLines, diffWordsWithSpace } from 'diff';

/** How a piece of text differs between the version (left) and the current content (right). */
export type DiffChange = 'same' | 'removed' | 'added';

export interface DiffSegment {
  readonly text: string;
  readonly change: DiffChange;
}

/** One line of the side-by-side view; a side is null where the other side's line has no counterpart. */
export interface DiffRow {
  readonly left: readonly DiffSegment[] | null;
  readonly right: readonly DiffSegment[] | null;
  readonly changed: boolean;
}

/** Changed lines longer than this are marked whole rather than word by word (the word diff is quadratic). */
const WORD_DIFF_MAX_EDIT = 400;
/** A changed pair is diffed word by word only when at least this share of its text is common. */
const WORD_DIFF_MIN_COMMON = 0.5;

/**
 * The plain text the History dialog compares: lesson titles, summaries and content, task titles and
 * instructions, in course order (docs/regeneration.md, "Versions").
 */
export function snapshotText(snapshot: VersionSnapshot): string {
  switch (snapshot.kind) {
    case 'project_lessons':
      return join(snapshot.lessons.flatMap((lesson, i) => lessonLines(lesson, i + 1)));
    case 'lesson_tasks':
      return join(snapshot.tasks.flatMap((task, i) => taskLines(task, i + 1)));
    case 'lesson':
      return join(lessonLines(snapshot.lesson, null));
    case 'task':
      return join(taskLines(snapshot.task, null));
  }
}

function lessonLines(lesson: Omit<LessonView, 'tasks'> & { tasks?: TaskView[] }, n: number | null): string[] {
  return [
    `${n === null ? 'Lesson' : `Lesson ${n}`}: ${lesson.title}`,
    `Summary: ${lesson.summary}`,
    '',
    ...lesson.content.split('\n'),
    '',
    ...(lesson.tasks ?? []).flatMap((task, i) => taskLines(task, i + 1)),
  ];
}

function taskLines(task: TaskView, n: number | null): string[] {
  return [
    `${n === null ? 'Task' : `Task ${n}`} (${task.kind}): ${task.title}`,
    ...task.instructions.split('\n'),
    '',
  ];
}

function join(lines: string[]): string {
  // One blank line between blocks, none at the end: trailing blank lines are noise in a diff.
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}

/**
 * A side-by-side diff of `before` (the version) and `after` (the current content): a line diff, then, where a
 * run of removed lines meets a run of added ones, the lines paired in order and diffed word by word.
 */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push(changedRow(removed[i] ?? null, added[i] ?? null));
    }
    removed = [];
    added = [];
  };
  // Every line ends with a newline, so a last line is not "changed" only because lines follow it now.
  for (const change of diffLines(`${before}\n`, `${after}\n`)) {
    if (!change.value) {
      continue;
    }
    const lines = splitLines(change.value);
    if (change.removed) {
      removed.push(...lines);
    } else if (change.added) {
      added.push(...lines);
    } else {
      flush();
      for (const line of lines) {
        const same = [{ text: line, change: 'same' as const }];
        rows.push({ left: same, right: same, changed: false });
      }
    }
  }
  flush();
  return rows;
}

/** How many lines the version has that the current content lacks, and the other way round. */
export function diffCounts(rows: readonly DiffRow[]): { readonly removed: number; readonly added: number } {
  const has = (side: readonly DiffSegment[] | null, change: DiffChange): boolean =>
    side !== null && side.some((segment) => segment.change === change);
  return {
    removed: rows.filter((row) => has(row.left, 'removed')).length,
    added: rows.filter((row) => has(row.right, 'added')).length,
  };
}

function changedRow(left: string | null, right: string | null): DiffRow {
  if (left === null || right === null) {
    return {
      left: left === null ? null : [{ text: left, change: 'removed' }],
      right: right === null ? null : [{ text: right, change: 'added' }],
      changed: true,
    };
  }
  const whole: DiffRow = {
    left: [{ text: left, change: 'removed' }],
    right: [{ text: right, change: 'added' }],
    changed: true,
  };
  const words = diffWordsWithSpace(left, right, { maxEditLength: WORD_DIFF_MAX_EDIT });
  if (!words) {
    return whole;
  }
  // Lines with little in common read better marked whole than as a patchwork of words.
  const visible = (text: string): number => text.replace(/\s/g, '').length;
  const common = words
    .filter((word) => !word.added && !word.removed)
    .reduce((n, word) => n + visible(word.value), 0);
  if (common < WORD_DIFF_MIN_COMMON * Math.max(visible(left), visible(right))) {
    return whole;
  }
  const side = (skip: 'added' | 'removed', mark: DiffChange): DiffSegment[] =>
    merge(
      words
        .filter((word) => !word[skip])
        .map((word) => ({ text: word.value, change: word.added || word.removed ? mark : 'same' })),
    );
  return { left: side('added', 'removed'), right: side('removed', 'added'), changed: true };
}

/** Joins neighbours that change alike, and the spaces between two changed words, into one segment. */
function merge(segments: DiffSegment[]): DiffSegment[] {
  const marked = segments.map((segment, i): DiffSegment => {
    const before = segments[i - 1];
    const after = segments[i + 1];
    const between =
      segment.change === 'same' &&
      !segment.text.trim() &&
      before !== undefined &&
      after !== undefined &&
      before.change !== 'same' &&
      before.change === after.change;
    return between ? { text: segment.text, change: before.change } : segment;
  });
  const merged: DiffSegment[] = [];
  for (const segment of marked) {
    const last = merged[merged.length - 1];
    if (last && last.change === segment.change) {
      merged[merged.length - 1] = { text: last.text + segment.text, change: last.change };
    } else {
      merged.push(segment);
    }
  }
  return merged;
}

/** A chunk's lines without the newline that ends the last one. */
function splitLines(value: string): string[] {
  return (value.endsWith('\n') ? value.slice(0, -1) : value).split('\n');
}
