import { checkPlaceholders } from './placeholders.check';
import { lesson, project, task, tree } from './quality-tree.fixture';

const inLesson = (content: string) =>
  checkPlaceholders(tree([project('Bees', [lesson('Hives', undefined, content)])]));

describe('checkPlaceholders', () => {
  it('finds nothing in a clean course', () => {
    expect(checkPlaceholders(tree())).toEqual([]);
  });

  it.each([
    ['Lorem ipsum dolor sit amet.', '"Lorem ipsum"'],
    ['Section on pests: TBD', '"TBD"'],
    ['TODO: write this part', '"TODO"'],
    ['See [insert diagram here] for the layout.', 'an "[insert …]" marker'],
    ['(placeholder) More soon.', 'a placeholder marker'],
    ['This is placeholder text.', 'a placeholder marker'],
  ])('is an error for a lesson whose content says %j', (content, what) => {
    expect(inLesson(content)).toEqual([
      expect.objectContaining({
        check: 'placeholders',
        severity: 'error',
        item_kind: 'lesson',
        message: `The lesson's text contains ${what}`,
      }),
    ]);
  });

  it.each([
    ['Todo el mundo conoce las abejas.', 'lower-case "todo" is Spanish'],
    ['Set the `placeholder` attribute of the input.', 'inline code'],
    ['```js\n// TODO: count the bees\n```\n\nFill in the function.', 'a code block'],
    ['Use a placeholder for each parameter in the SQL query.', 'the word as content'],
  ])('finds nothing in %j (%s)', (content) => {
    expect(inLesson(content)).toEqual([]);
  });

  it.each(['Lesson 1', 'Task 2:', 'project 3', 'Lesson 1.2', 'Module #4'])(
    'is an error for a title that is only %j',
    (title) => {
      const t = task(title);
      const problems = checkPlaceholders(tree([project('Bees', [lesson('Hives', [t])])]));
      expect(problems).toEqual([
        expect.objectContaining({
          item_id: t.id,
          severity: 'error',
          message: `The title "${title}" is only a number`,
        }),
      ]);
    },
  );

  it('keeps numbered titles with words after the number', () => {
    expect(checkPlaceholders(tree([project('Bees', [lesson('Lesson 1: Meet the colony')])]))).toEqual([]);
  });

  it('is an error for a placeholder title, and only a warning on a project (the approved outline)', () => {
    const placeholder = { ...lesson('Hives', [], 'Bees are insects.'), title: 'Placeholder lesson' };
    const problems = checkPlaceholders(tree([project('Project 1', [placeholder])]));
    expect(problems.map((p) => [p.item_kind, p.severity])).toEqual([
      ['project', 'warning'],
      ['lesson', 'error'],
    ]);
  });

  it('reads task instructions', () => {
    const t = task('Build a frame', 'Steps: TBD');
    expect(checkPlaceholders(tree([project('Bees', [lesson('Hives', [t])])]))).toEqual([
      expect.objectContaining({ item_id: t.id, message: `The task's text contains "TBD"` }),
    ]);
  });
});
