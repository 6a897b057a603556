import {
  OutlineLineError,
  OutlinePathError,
  parseJsonOutline,
  parseMarkdownOutline,
  parseOutlineFile,
} from './outline-parser';

const md = (lines: string[]): string => lines.join('\n');

function lineError(text: string): { line: number; message: string } {
  try {
    parseMarkdownOutline(text);
  } catch (err) {
    expect(err).toBeInstanceOf(OutlineLineError);
    const e = err as OutlineLineError;
    return { line: e.line, message: e.message };
  }
  throw new Error('expected the outline to be refused');
}

function pathError(value: unknown): { path: string; message: string } {
  try {
    parseJsonOutline(value);
  } catch (err) {
    expect(err).toBeInstanceOf(OutlinePathError);
    const e = err as OutlinePathError;
    return { path: e.path, message: e.message };
  }
  throw new Error('expected the outline to be refused');
}

describe('parseMarkdownOutline', () => {
  it('reads the whole tree: descriptions, objectives, summaries, content, kinds, minutes, instructions', () => {
    const tree = parseMarkdownOutline(
      md([
        '# Web Basics',
        'Learn the web.',
        '',
        '## HTML',
        'Structure first.',
        '* Write a page',
        '* Use semantic tags',
        '### Tags (30 min)',
        '> What a tag is.',
        'Tags **nest**.',
        '',
        '```html',
        '- <b>not a task</b>',
        '# not a heading',
        '```',
        '- Write a heading (10 min)',
        '  Use `<h1>`.',
        '',
        '  Then check it.',
        '- [quiz] Which tag is a link?',
        '- [Reflection] What surprised you?',
        '### Attributes',
        '## CSS',
      ]),
    );
    expect(tree).toEqual({
      title: 'Web Basics',
      description: 'Learn the web.',
      topic: '',
      audience: '',
      level: null,
      language: 'en',
      projects: [
        {
          title: 'HTML',
          description: 'Structure first.',
          objectives: ['Write a page', 'Use semantic tags'],
          lessons: [
            {
              title: 'Tags',
              summary: 'What a tag is.',
              content: 'Tags **nest**.\n\n```html\n- <b>not a task</b>\n# not a heading\n```',
              estimated_minutes: 30,
              tasks: [
                {
                  title: 'Write a heading',
                  instructions: 'Use `<h1>`.\n\nThen check it.',
                  kind: 'exercise',
                  estimated_minutes: 10,
                },
                { title: 'Which tag is a link?', instructions: '', kind: 'quiz', estimated_minutes: null },
                {
                  title: 'What surprised you?',
                  instructions: '',
                  kind: 'reflection',
                  estimated_minutes: null,
                },
              ],
            },
            { title: 'Attributes', summary: '', content: '', estimated_minutes: null, tasks: [] },
          ],
        },
        { title: 'CSS', description: '', objectives: [], lessons: [] },
      ],
    });
  });

  it('accepts CRLF line endings, a BOM and blank lines before the title', () => {
    const tree = parseMarkdownOutline('\uFEFF\r\n# Course\r\n## P\r\n### L\r\n- T\r\n');
    expect(tree.projects[0].lessons[0].tasks[0].title).toBe('T');
  });

  it.each([
    [md(['intro', '# Course']), 1, "the outline must start with a '# Course title' line"],
    [md(['# A', '# B']), 2, "only one '# Course title' line is allowed"],
    [md(['# A', '### Lesson']), 2, 'a lesson must be under a project'],
    [md(['# A', '', '## P', 'text', '', '', '- task']), 7, 'a task must be under a lesson'],
    [md(['# A', '## P', '### L', '- [game] Play']), 4, 'unknown task kind "game"'],
    [md(['# A', '##   ', '### L']), 2, 'the project title is empty'],
    [md(['# A', '## P', '### L', '- T', 'loose text']), 5, 'text after a task must be indented'],
    [md(['# A', `## ${'x'.repeat(201)}`]), 2, 'the project title is longer than 200 characters'],
    [md(['# A', '```', 'code']), 3, 'a code block (```) is never closed'],
    ['', 1, "the outline must start with a '# Course title' line"],
  ])('refuses %j at line %d', (text, line, problem) => {
    const error = lineError(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`Line ${line}: ${problem}`);
  });

  it('bounds the number of projects', () => {
    const lines = ['# A', ...Array.from({ length: 51 }, (_, i) => `## P${i}`)];
    expect(lineError(md(lines))).toEqual({ line: 52, message: 'Line 52: a course has at most 50 projects' });
  });
});

describe('parseJsonOutline', () => {
  const valid = {
    title: 'Course',
    level: 'beginner',
    projects: [
      { title: 'P', objectives: ['o'], lessons: [{ title: 'L', tasks: [{ title: 'T', kind: 'quiz' }] }] },
    ],
  };

  it('fills defaults', () => {
    expect(parseJsonOutline(valid)).toEqual({
      title: 'Course',
      description: '',
      topic: '',
      audience: '',
      level: 'beginner',
      language: 'en',
      projects: [
        {
          title: 'P',
          description: '',
          objectives: ['o'],
          lessons: [
            {
              title: 'L',
              summary: '',
              content: '',
              estimated_minutes: null,
              tasks: [{ title: 'T', instructions: '', kind: 'quiz', estimated_minutes: null }],
            },
          ],
        },
      ],
    });
  });

  it.each([
    [{ projects: [] }, 'title', 'title: is required'],
    [{ ...valid, extra: 1 }, 'extra', 'extra: is not a known field'],
    [
      { title: 'C', projects: [{ title: 'P' }, { title: 'Q', lessons: [{ title: '' }] }] },
      'projects[1].lessons[0].title',
      'projects[1].lessons[0].title: must not be empty',
    ],
    [
      {
        title: 'C',
        projects: [{ title: 'P', lessons: [{ title: 'L', tasks: [{ title: 'T', kind: 'game' }] }] }],
      },
      'projects[0].lessons[0].tasks[0].kind',
      'must be one of exercise, quiz, reflection, project',
    ],
    [{ title: 'x'.repeat(201) }, 'title', 'title: must be at most 200 characters'],
    [{ title: 'C', level: 'expert' }, 'level', 'must be one of beginner, intermediate, advanced'],
    [[1, 2], '(root)', 'must be an object'],
  ])('refuses %j at %s', (value, path, message) => {
    const error = pathError(value);
    expect(error.path).toBe(path);
    expect(error.message).toContain(message);
  });
});

describe('parseOutlineFile', () => {
  it('reads JSON by name or by its first character, Markdown otherwise', () => {
    expect(parseOutlineFile(Buffer.from('{"title":"J"}'), 'outline.txt').title).toBe('J');
    expect(parseOutlineFile(Buffer.from('{"title":"J"}'), 'x.json').title).toBe('J');
    expect(parseOutlineFile(Buffer.from('# M'), 'x.md').title).toBe('M');
  });

  it('names the line of a JSON syntax error', () => {
    expect(() => parseOutlineFile(Buffer.from('{\n"title": "a",\n oops\n}'), 'x.json')).toThrow(
      /The file is not valid JSON \(line 3\)/,
    );
  });

  it('refuses binary and empty files', () => {
    expect(() => parseOutlineFile(Buffer.from([0xff, 0xfe, 0x00, 0x41]))).toThrow(
      'The file is not UTF-8 text',
    );
    expect(() => parseOutlineFile(Buffer.from('# a\u0000'))).toThrow('The file is not UTF-8 text');
    expect(() => parseOutlineFile(Buffer.from('  \n'))).toThrow('The file is empty');
  });
});
