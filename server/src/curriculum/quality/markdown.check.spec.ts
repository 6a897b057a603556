import { checkMarkdown, markdownProblem } from './markdown.check';
import { scanFences } from './markdown-text';
import { lesson, project, task, tree } from './quality-tree.fixture';

describe('Markdown that renders', () => {
  describe('markdownProblem', () => {
    it('accepts headings, lists and closed code blocks', () => {
      expect(
        markdownProblem('## Hives\n\n- one\n- two\n\n```py\nprint(1)\n```\n\n~~~~\ncode\n~~~~\n'),
      ).toBeNull();
    });

    it('refuses empty content', () => {
      expect(markdownProblem('  \n\t')).toBe('is empty');
    });

    it('refuses a code block that is never closed, naming its line', () => {
      expect(markdownProblem('Intro\n\n```js\nconst bees = 3;\n')).toBe(
        'has a code block opened on line 3 and never closed',
      );
    });

    it('needs the opener’s character and length to close a fence', () => {
      expect(markdownProblem('````\ncode\n```\nmore\n')).toMatch(/never closed/);
      expect(markdownProblem('~~~\ncode\n```\n')).toMatch(/never closed/);
      expect(markdownProblem('```\ncode\n````\n')).toBeNull();
    });

    it('reads inline code with three backticks as inline code, not a fence', () => {
      expect(scanFences('``` a ` b ```\ntext').unclosedAt).toBeNull();
    });

    it('scans a large body in linear time', () => {
      const big = '```\n'.repeat(100_001) + 'x'.repeat(1_000_000);
      const started = performance.now();
      expect(scanFences(big).unclosedAt).toBe(100_001);
      expect(performance.now() - started).toBeLessThan(2000);
    });
  });

  describe('checkMarkdown', () => {
    it('finds nothing in a clean course', () => {
      expect(checkMarkdown(tree())).toEqual([]);
    });

    it('names the lesson with empty content and the task with an unclosed fence, as errors', () => {
      const empty = lesson('Hives', [task('Open', '```\nstep')], '');
      const problems = checkMarkdown(tree([project('Bees', [empty])]));
      expect(problems).toEqual([
        expect.objectContaining({
          check: 'markdown',
          severity: 'error',
          item_id: empty.id,
          message: "The lesson's content is empty",
        }),
        expect.objectContaining({
          item_kind: 'task',
          message: "The task's instructions has a code block opened on line 1 and never closed",
        }),
      ]);
    });
  });
});
