import fc from 'fast-check';
import { TASK_KINDS } from '../../../../contracts/api';
import { DomainError, InvalidInputError } from '../../common/domain-error';
import { LIMITS } from '../curriculum-limits';
import { parseJsonOutlineText } from './json-outline';
import {
  OutlineLineError,
  OutlineTree,
  parseJsonOutline,
  parseMarkdownOutline,
  parseOutlineFile,
} from './outline-parser';

/** Far above a linear parse of the largest upload (512 KB parses in milliseconds), far below a backtracking one. */
const BOUND_MS = 1000;
const UPLOAD_MAX = 512 * 1024;

type Outcome = { tree: OutlineTree } | { error: unknown };

/** Runs a parser, timing it; returns its tree or what it threw. */
function timed(parse: () => OutlineTree): Outcome & { ms: number } {
  const started = performance.now();
  try {
    const tree = parse();
    return { tree, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** A parser's only failures are the 400s of bad input. */
function expectTreeOrInvalidInput(
  outcome: Outcome & { ms: number },
  errorType: abstract new (...args: never[]) => InvalidInputError,
): void {
  if ('error' in outcome) expect(outcome.error).toBeInstanceOf(errorType);
  expect(outcome.ms).toBeLessThan(BOUND_MS);
}

// ---------------------------------------------------------------------------------------------------------------
// Adversarial text: long runs of the characters the syntax reacts to.

const token = fc.constantFrom(
  ' ',
  '\t',
  '#',
  '-',
  '*',
  '>',
  '[',
  ']',
  '(',
  ')',
  '9',
  'a',
  'x',
  ' min)',
  '`',
  '~',
  '\u2028',
  '\u00a0',
  '\r',
  '\n',
  '\r\n',
);
/** A run of one token, from a few to tens of thousands of characters. */
const run = fc
  .tuple(token, fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40_000 })))
  .map(([t, count]) => t.repeat(count));
/** A line as a sequence of runs (it may hold line breaks of its own). */
const adversarialLine = fc.array(run, { minLength: 1, maxLength: 6 }).map((runs) => runs.join(''));
/** Openings that bring the parser into each state before the adversarial lines. */
const opening = fc.constantFrom(
  '',
  '# Course\n',
  '# Course\n## Project\n',
  '# Course\n## Project\n### Lesson\n',
  '# Course\n## Project\n### Lesson\n- Task\n',
  '# Course\n## Project\n### Lesson\n```\n',
);
const adversarialMarkdown = fc
  .tuple(opening, fc.array(adversarialLine, { minLength: 1, maxLength: 8 }))
  .map(([head, lines]) => (head + lines.join('\n')).slice(0, UPLOAD_MAX));

/** Fixed worst cases: each was slow in the backtracking parser, or is as large as an upload may be. */
const worstCases: [string, string][] = [
  ['a heading with 2,000 spaces before a stray character', `# C\n## a${' '.repeat(2000)}x`],
  ['a heading line of 20 KB', `# C\n## a${' '.repeat(20_000)}x`],
  ['a 512 KB line', `# C\n## a${' '.repeat(UPLOAD_MAX - 10)}x`],
  ['512 KB of 2 KB heading-like lines', `# C\n${`## a${' \t'.repeat(1000)}x\n`.repeat(250)}`],
  [
    'a lesson of 256 K blank lines, then 128 K `>` lines',
    `# C\n## P\n### L\n${'\n'.repeat(UPLOAD_MAX / 2)}${'>\n'.repeat(UPLOAD_MAX / 4 - 20)}`,
  ],
  ['a task title of spaces before a minutes mark', `# C\n## P\n### L\n- a${' '.repeat(100_000)}(5 min`],
  ['lines of `#` only', `# C\n${`${'#'.repeat(2000)}\n`.repeat(250)}`],
  ['nested list markers', `# C\n## P\n### L\n${'- '.repeat(200_000)}`],
  ['brackets that never close', `# C\n## P\n### L\n- ${'['.repeat(500_000)}`],
];

describe('parseMarkdownOutline on adversarial input', () => {
  it('returns a tree or throws OutlineLineError, within the bound, for random runs of syntax characters', () => {
    fc.assert(
      fc.property(adversarialMarkdown, (text) => {
        expectTreeOrInvalidInput(
          timed(() => parseMarkdownOutline(text)),
          OutlineLineError,
        );
      }),
      { numRuns: 150 },
    );
  });

  it.each(worstCases)('parses %s within the bound', (_name, text) => {
    expectTreeOrInvalidInput(
      timed(() => parseMarkdownOutline(text)),
      OutlineLineError,
    );
  });

  it('refuses a line longer than the line limit, naming it', () => {
    const text = `# C\n## P\n### L\n${'a'.repeat(LIMITS.outlineLine + 1)}`;
    expect(() => parseMarkdownOutline(text)).toThrow(
      new OutlineLineError(4, `the line is longer than ${LIMITS.outlineLine} characters`),
    );
  });

  it('keeps a lesson content line as long as the content limit', () => {
    const paragraph = 'word '.repeat(LIMITS.content / 5).trimEnd();
    const tree = parseMarkdownOutline(`# C\n## P\n### L\n${paragraph}`);
    expect(tree.projects[0].lessons[0].content).toBe(paragraph);
  });

  it('reads `>` lines after blank lines as the summary, and as content once the content has text', () => {
    const tree = parseMarkdownOutline('# C\n## P\n### L\n\n> one\n\n> two\ntext\n> three');
    expect(tree.projects[0].lessons[0]).toMatchObject({ summary: 'one\ntwo', content: 'text\n> three' });
  });
});

describe('parseJsonOutlineText on adversarial input', () => {
  const deep = (open: string, close: string, depth: number) => open.repeat(depth) + close.repeat(depth);
  const jsonWorstCases: [string, string][] = [
    ['deeply nested arrays', deep('[', ']', 200_000)],
    ['deeply nested objects', deep('{"a":', '}', 80_000)],
    ['nesting under a known field', `{"title":"C","projects":${deep('[', ']', 200_000)}}`],
    ['nesting under an unknown field', `{"title":"C","extra":${deep('[', ']', 200_000)}}`],
    ['unclosed nesting', '['.repeat(UPLOAD_MAX)],
    ['a 512 KB title', `{"title":"${'a '.repeat(UPLOAD_MAX / 2 - 8)}"}`],
    ['a long number', `{"title":"C","level":${'9'.repeat(UPLOAD_MAX - 30)}}`],
    ['a 512 KB language tag', `{"title":"C","language":"${'a-'.repeat(UPLOAD_MAX / 2 - 30)}"}`],
  ];

  it('returns a tree or throws InvalidInputError, within the bound, for random text and random JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), adversarialMarkdown), (text) => {
        expectTreeOrInvalidInput(
          timed(() => parseJsonOutlineText(text)),
          InvalidInputError,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('returns a tree or throws InvalidInputError for random values shaped like outlines', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.dictionary(
          fc.constantFrom(
            'title',
            'projects',
            'lessons',
            'tasks',
            'kind',
            'level',
            'language',
            'objectives',
            'x',
          ),
          tie('node'),
        ),
        fc.array(tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expectTreeOrInvalidInput(
          timed(() => parseJsonOutline(v)),
          InvalidInputError,
        );
      }),
      { numRuns: 150 },
    );
  });

  it.each(jsonWorstCases)('parses %s within the bound', (_name, text) => {
    expectTreeOrInvalidInput(
      timed(() => parseJsonOutlineText(text)),
      InvalidInputError,
    );
  });
});

describe('parseOutlineFile on random bytes', () => {
  it('returns a tree or throws a 400 (code invalid), within the bound', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          adversarialMarkdown.map((t) => new TextEncoder().encode(t)),
        ),
        fc.constantFrom('', 'x.md', 'x.json', 'x.JSON', 'x.txt'),
        (bytes, name) => {
          const outcome = timed(() => parseOutlineFile(Buffer.from(bytes), name));
          if ('error' in outcome) {
            expect(outcome.error).toBeInstanceOf(DomainError);
            expect((outcome.error as DomainError).code).toBe('invalid');
          }
          expect(outcome.ms).toBeLessThan(BOUND_MS);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Round trips: a valid tree written as Markdown (and as JSON) reads back as the same tree.

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéßж中'.split(''));
const inner = fc.constantFrom(...'abcxyz0123456789.,:;!?\'"&/+#*-_[]()<>`~|é中'.split(''));
/** A word that starts with a letter (so no line begins with Markdown syntax) and may hold syntax inside. */
const word = fc
  .tuple(letter, fc.array(inner, { maxLength: 8 }))
  .map(([first, rest]) => first + rest.join(''));
const sentence = (maxWords: number) =>
  fc.array(word, { minLength: 1, maxLength: maxWords }).map((w) => w.join(' '));
/** A title: words, never ending in `#` (a closing run of `#` is not part of a Markdown heading's title). */
const title = sentence(6).filter((t) => !t.endsWith('#') && t.length <= LIMITS.title);
const minutes = fc.option(fc.integer({ min: 0, max: LIMITS.minutes }), { nil: null });
/** Paragraph text: lines, possibly with blank lines between them (never first or last). */
const paragraphs = fc
  .array(fc.oneof({ weight: 4, arbitrary: sentence(10) }, { weight: 1, arbitrary: fc.constant('') }), {
    maxLength: 5,
  })
  .map((lines) => lines.join('\n').trim());

const taskTree = fc.record({
  title,
  instructions: paragraphs,
  kind: fc.constantFrom(...TASK_KINDS),
  estimated_minutes: minutes,
});
const lessonTree = fc.record({
  title,
  summary: fc.array(sentence(8), { maxLength: 3 }).map((lines) => lines.join('\n')),
  content: paragraphs,
  estimated_minutes: minutes,
  tasks: fc.array(taskTree, { maxLength: 3 }),
});
const projectTree = fc.record({
  title,
  description: paragraphs,
  objectives: fc.array(sentence(6), { maxLength: 3 }),
  lessons: fc.array(lessonTree, { maxLength: 3 }),
});
const outlineTree: fc.Arbitrary<OutlineTree> = fc.record({
  title,
  description: paragraphs,
  topic: fc.constant(''),
  audience: fc.constant(''),
  level: fc.constant(null),
  language: fc.constant('en'),
  projects: fc.array(projectTree, { maxLength: 3 }),
});

const withMinutes = (text: string, m: number | null): string => (m === null ? text : `${text} (${m} min)`);
const indent = (text: string): string[] => (text ? text.split('\n').map((l) => (l ? `  ${l}` : '')) : []);
const lines = (text: string): string[] => (text ? text.split('\n') : []);

/** The Markdown outline format (docs/accounts-and-curriculum.md) of a tree. */
function toMarkdown(tree: OutlineTree): string {
  return [
    `# ${tree.title}`,
    ...lines(tree.description),
    ...tree.projects.flatMap((p) => [
      '',
      `## ${p.title}`,
      ...lines(p.description),
      ...p.objectives.map((o) => `* ${o}`),
      ...p.lessons.flatMap((l) => [
        `### ${withMinutes(l.title, l.estimated_minutes)}`,
        ...lines(l.summary).map((s) => `> ${s}`),
        ...lines(l.content),
        ...l.tasks.flatMap((t) => [
          `- ${t.kind === 'exercise' ? '' : `[${t.kind}] `}${withMinutes(t.title, t.estimated_minutes)}`,
          ...indent(t.instructions),
        ]),
      ]),
    ]),
  ].join('\n');
}

describe('round trips', () => {
  it('a valid tree written as Markdown parses back to the same tree', () => {
    fc.assert(
      fc.property(outlineTree, (tree) => {
        expect(parseMarkdownOutline(toMarkdown(tree))).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid tree written as JSON parses back to the same tree', () => {
    fc.assert(
      fc.property(outlineTree, (tree) => {
        expect(parseJsonOutlineText(JSON.stringify(tree))).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });
});
