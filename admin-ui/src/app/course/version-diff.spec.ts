import { aLesson, aTask } from '../testing/builders';
import { type DiffRow, diffCounts, sideBySide, snapshotText } from './version-diff';

/** A row as "left | right", removed text in [-…-], added text in {+…+}, a missing side as "∅". */
function show(row: DiffRow): string {
  const side = (segments: DiffRow['left']): string =>
    segments === null
      ? '∅'
      : segments
          .map((s) =>
            s.change === 'removed' ? `[-${s.text}-]` : s.change === 'added' ? `{+${s.text}+}` : s.text,
          )
          .join('');
  return `${side(row.left)} | ${side(row.right)}`;
}

describe('snapshotText', () => {
  it('renders a lesson’s tasks as numbered titles with their kind, then their instructions', () => {
    const text = snapshotText({
      kind: 'lesson_tasks',
      tasks: [
        aTask({ title: 'Sketch', instructions: 'Draw three.\nKeep it rough.' }),
        aTask({ id: 'task-2', title: 'Play', kind: 'quiz', instructions: 'Play once.' }),
      ],
    });
    expect(text).toBe(
      'Task 1 (exercise): Sketch\nDraw three.\nKeep it rough.\n\nTask 2 (quiz): Play\nPlay once.',
    );
  });

  it('renders a project’s lessons with their summary, content and tasks', () => {
    const text = snapshotText({
      kind: 'project_lessons',
      lessons: [aLesson({ title: 'Mechanics', summary: 'Rules.', content: '# Rules\n\nOne rule.' })],
    });
    expect(text).toBe(
      'Lesson 1: Mechanics\nSummary: Rules.\n\n# Rules\n\nOne rule.\n\n' +
        'Task 1 (exercise): Sketch three game mechanics\nWrite down three mechanics you enjoy.',
    );
  });

  it('renders one lesson or one task without a number', () => {
    const { tasks: _tasks, ...lesson } = aLesson({ title: 'Mechanics', summary: 'Rules.', content: 'Text.' });
    expect(snapshotText({ kind: 'lesson', lesson })).toBe('Lesson: Mechanics\nSummary: Rules.\n\nText.');
    expect(snapshotText({ kind: 'task', task: aTask({ title: 'Sketch', instructions: 'Draw.' }) })).toBe(
      'Task (exercise): Sketch\nDraw.',
    );
  });
});

describe('sideBySide', () => {
  describe('when the texts are the same', () => {
    it('pairs every line with itself and marks nothing', () => {
      const rows = sideBySide('a\nb', 'a\nb');
      expect(rows.map(show)).toEqual(['a | a', 'b | b']);
      expect(rows.some((row) => row.changed)).toBe(false);
      expect(diffCounts(rows)).toEqual({ removed: 0, added: 0 });
    });
  });

  describe('when a line changed', () => {
    it('pairs the old line with the new one and marks the words that differ', () => {
      const rows = sideBySide('Title\nDraw three cards.', 'Title\nDraw five cards.');
      expect(rows.map(show)).toEqual(['Title | Title', 'Draw [-three-] cards. | Draw {+five+} cards.']);
      expect(diffCounts(rows)).toEqual({ removed: 1, added: 1 });
    });

    it('marks the words and the spaces between them as one change', () => {
      expect(sideBySide('Draw three red cards now', 'Draw five blue cards now').map(show)).toEqual([
        'Draw [-three red-] cards now | Draw {+five blue+} cards now',
      ]);
    });

    it('marks a line with little in common whole', () => {
      expect(sideBySide('Task 1: Sketch three mechanics', 'Task 1: Build a prototype').map(show)).toEqual([
        '[-Task 1: Sketch three mechanics-] | {+Task 1: Build a prototype+}',
      ]);
    });
  });

  describe('when lines were added or removed', () => {
    it('leaves the other side empty for lines with no counterpart', () => {
      expect(sideBySide('a\nold\nb', 'a\nb').map(show)).toEqual(['a | a', '[-old-] | ∅', 'b | b']);
      expect(sideBySide('a\nb', 'a\nb\nnew').map(show)).toEqual(['a | a', 'b | b', '∅ | {+new+}']);
    });

    it('does not mark the last line as changed only because lines follow it now', () => {
      const rows = sideBySide('a', 'a\nb');
      expect(rows.map(show)).toEqual(['a | a', '∅ | {+b+}']);
    });

    it('pairs runs of different lengths in order, the rest of the longer run alone', () => {
      const rows = sideBySide('x\none\ntwo\ny', 'x\nuno\ny');
      expect(rows.map(show)).toEqual(['x | x', '[-one-] | {+uno+}', '[-two-] | ∅', 'y | y']);
      expect(diffCounts(rows)).toEqual({ removed: 2, added: 1 });
    });
  });

  describe('when a changed line is very long and wholly different', () => {
    it('marks the whole line rather than word by word', () => {
      const before = Array.from({ length: 600 }, (_, i) => `a${i}`).join(' ');
      const after = Array.from({ length: 600 }, (_, i) => `b${i}`).join(' ');
      const [row] = sideBySide(before, after);
      expect(row.left).toEqual([{ text: before, change: 'removed' }]);
      expect(row.right).toEqual([{ text: after, change: 'added' }]);
    });
  });
});
