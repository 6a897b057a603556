import type { LessonView } from '../../../../contracts/api';
import { decodeExportedTree, stripExportMarker } from '../outline/exported-markdown';
import { parseMarkdownOutline } from '../outline/markdown-outline';
import { OutlineTree } from '../outline/outline-tree';
import { courseMarkdown, lessonMarkdown, projectMarkdown } from './markdown-export';

/** Text that the outline parser would read as structure, blanks it would drop, fences it would swallow. */
const TRICKY = [
  '## A heading inside the lesson\n- a list item\n* another\n> a quote\n\n```js\n# not a heading\n- nor a task\n```',
  '\n\nstarts with blank lines and ends with spaces   ',
  '\\ starts with a backslash\n \\ and a spaced one\n - already indented list\n   ## indented heading',
  '```\nan unclosed fence\n## then a heading',
  '~~~\ntilde fence\n~~~\n- after\n\n\n',
  '   \n  whitespace-only first line',
  '<script>alert(1)</script>\n#hashtag\n-not-a-task\n>no-space quote',
  '\\',
  ' ',
  '\n',
  'plain',
];

function exportAndParse(tree: OutlineTree): OutlineTree {
  let text = courseMarkdown(tree);
  for (const p of tree.projects) {
    text += projectMarkdown(p);
    for (const l of p.lessons) {
      text += lessonMarkdown({ ...l, id: 'x', project_id: 'p', position: 0, tasks: l.tasks } as LessonView);
    }
  }
  const stripped = stripExportMarker(text);
  expect(stripped.exported).toBe(true);
  return decodeExportedTree(parseMarkdownOutline(stripped.text));
}

describe('the Markdown export', () => {
  describe('when text fields hold lines the outline parser would read as structure', () => {
    it.each(TRICKY.map((t, i) => [i, t]))('round-trips sample %s exactly in every field', (_i, text) => {
      const tree: OutlineTree = {
        title: 'Learn C#',
        description: text,
        topic: '',
        audience: '',
        level: null,
        language: 'en',
        projects: [
          {
            title: 'Project #',
            description: text,
            objectives: ['Read a manifest', 'Write one'],
            lessons: [
              {
                title: 'Lesson one',
                summary: text,
                content: text,
                estimated_minutes: 15,
                tasks: [
                  {
                    title: '[x] a title in brackets',
                    instructions: text,
                    kind: 'quiz',
                    estimated_minutes: 5,
                  },
                  { title: 'Second', instructions: '', kind: 'exercise', estimated_minutes: null },
                ],
              },
              { title: 'Empty', summary: '', content: '', estimated_minutes: null, tasks: [] },
            ],
          },
          { title: 'No lessons', description: '', objectives: [], lessons: [] },
        ],
      };
      expect(exportAndParse(tree)).toEqual(tree);
    });
  });

  describe('when a file has no export marker', () => {
    it('is left as it is (hand-written outlines are not decoded)', () => {
      expect(stripExportMarker('# Course\n\\ text')).toEqual({ text: '# Course\n\\ text', exported: false });
    });
  });
});
