import {
  checkDuplicateTitles,
  diceSimilarity,
  nearDuplicate,
  normalizeTitle,
} from './duplicate-titles.check';
import { lesson, project, task, tree } from './quality-tree.fixture';

describe('near-duplicate sibling titles', () => {
  describe('normalizeTitle', () => {
    it('lower-cases and strips punctuation, diacritics and extra spaces', () => {
      expect(normalizeTitle('  Intro to Bees!  ')).toBe('intro to bees');
      expect(normalizeTitle('Émigré   literature: Nabokov & co.')).toBe('emigre literature nabokov co');
      expect(normalizeTitle('Пчёлы — введение')).toBe('пчелы введение');
    });
  });

  describe('diceSimilarity', () => {
    it('is 1 for equal strings, 0 for strings without shared bigrams, in between otherwise', () => {
      expect(diceSimilarity('hive', 'hive')).toBe(1);
      expect(diceSimilarity('abc', 'xyz')).toBe(0);
      const s = diceSimilarity('intro to bees', 'intro to the bees');
      expect(s).toBeGreaterThan(0.8);
      expect(s).toBeLessThan(1);
    });

    it('takes linear time on long titles', () => {
      const long = 'a'.repeat(200_000);
      const started = performance.now();
      expect(diceSimilarity(long, `${long}b`)).toBeGreaterThan(0.99);
      expect(performance.now() - started).toBeLessThan(2000);
    });
  });

  describe('nearDuplicate', () => {
    it('holds titles equal once normalized, whatever the threshold', () => {
      expect(nearDuplicate('intro to bees', 'intro to bees', 1)).toBe(true);
    });

    it('does not hold titles whose numbers differ: a sequence is not a repeat', () => {
      expect(nearDuplicate('part 1 the basics', 'part 2 the basics', 0.5)).toBe(false);
    });

    it('follows the threshold', () => {
      expect(nearDuplicate('caring for the hive', 'caring for a hive', 0.7)).toBe(true);
      expect(nearDuplicate('caring for the hive', 'caring for a hive', 0.95)).toBe(false);
    });
  });

  describe('checkDuplicateTitles', () => {
    it('finds nothing among distinct siblings', () => {
      expect(checkDuplicateTitles(tree(), 0.9)).toEqual([]);
    });

    it('is an error for lessons of one project titled "Intro to Bees" and "Intro to bees!"', () => {
      const second = lesson('Intro to bees!');
      const problems = checkDuplicateTitles(
        tree([project('Basics', [lesson('Intro to Bees'), second])]),
        0.9,
      );
      expect(problems).toEqual([
        {
          check: 'duplicate_titles',
          severity: 'error',
          item_kind: 'lesson',
          item_id: second.id,
          item_title: 'Intro to bees!',
          message: '"Intro to bees!" repeats the title of its sibling lesson "Intro to Bees"',
        },
      ]);
    });

    it('checks the tasks of a lesson too, and only among siblings', () => {
      const dup = task('Draw a frame.');
      const problems = checkDuplicateTitles(
        tree([
          project('A', [lesson('Frames', [task('Draw a frame'), dup])]),
          project('B', [lesson('Frames')]), // same title as a lesson of another project: not siblings
        ]),
        0.9,
      );
      expect(problems).toEqual([expect.objectContaining({ item_kind: 'task', item_id: dup.id })]);
    });

    it('only warns about project titles: the approved outline is the admin’s', () => {
      const problems = checkDuplicateTitles(tree([project('Hive care'), project('Hive care.')]), 0.9);
      expect(problems).toEqual([expect.objectContaining({ item_kind: 'project', severity: 'warning' })]);
    });
  });
});
