import fc from 'fast-check';
import {
  dropLeadingBlankLines,
  isFence,
  isIndented,
  matchHeading,
  matchListItem,
  matchMinutes,
  matchQuote,
  matchTaskKind,
  isWhitespaceCode,
  stripIndent,
} from './markdown-lines';

/**
 * The regular expressions the Markdown outline parser used before it scanned lines by hand. They backtrack
 * (`## a` + 2,000 spaces + `x` took seconds), so they run here only on short inputs, as the reference the
 * scanners must agree with exactly.
 */
const REFERENCE = {
  heading: /^(#{1,3})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$/,
  task: /^-[ \t]+(.*)$/,
  objective: /^\*[ \t]+(.*)$/,
  taskKind: /^\[([^\]]*)\][ \t]*(.*)$/,
  minutes: /^(.*?)[ \t]+\((\d{1,5})[ \t]*min\)$/,
  fence: /^[ \t]*(```|~~~)/,
  indented: /^( {2,}|\t)/,
  quote: /^>[ \t]?(.*)$/,
};

/** Characters and pieces the syntax cares about, so short random lines hit every branch. */
const piece = fc.constantFrom(
  '#',
  '##',
  '###',
  ' ',
  '  ',
  '\t',
  '-',
  '*',
  '>',
  '[',
  ']',
  '(',
  ')',
  '0',
  '7',
  '12345',
  '123456',
  'min',
  'min)',
  ' (5 min)',
  '[quiz]',
  '```',
  '~~~',
  '`',
  'a',
  'x',
  'é',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\v',
);
/** One line (no \n or \r: the parser splits on those first). */
const line = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));
/** A few lines joined, for the multi-line helper. */
const text = fc
  .array(fc.oneof(line, fc.constantFrom('', ' ', '\t', '\r')), { maxLength: 5 })
  .map((l) => l.join('\n'));

const RUNS = { numRuns: 3000 };

describe('the Markdown line scanners agree with the regular expressions they replace', () => {
  it('matchHeading ≡ /^(#{1,3})(?:[ \\t]+(.*?))?[ \\t]*#*[ \\t]*$/', () => {
    fc.assert(
      fc.property(line, (l) => {
        const m = REFERENCE.heading.exec(l);
        expect(matchHeading(l)).toEqual(m ? { depth: m[1].length, raw: m[2] ?? '' } : null);
      }),
      RUNS,
    );
  });

  it.each([
    ['-', REFERENCE.task],
    ['*', REFERENCE.objective],
  ] as const)('matchListItem(line, %j) ≡ %s', (marker, regex) => {
    fc.assert(
      fc.property(
        fc.oneof(
          line,
          line.map((l) => marker + l),
        ),
        (l) => {
          const m = regex.exec(l);
          expect(matchListItem(l, marker)).toEqual(m ? m[1] : null);
        },
      ),
      RUNS,
    );
  });

  it('matchTaskKind ≡ /^\\[([^\\]]*)\\][ \\t]*(.*)$/', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          line,
          line.map((l) => `[${l}`),
        ),
        (l) => {
          const m = REFERENCE.taskKind.exec(l);
          expect(matchTaskKind(l)).toEqual(m ? { kind: m[1], rest: m[2] } : null);
        },
      ),
      RUNS,
    );
  });

  it('matchMinutes ≡ /^(.*?)[ \\t]+\\((\\d{1,5})[ \\t]*min\\)$/', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          line,
          line.map((l) => `${l}min)`),
        ),
        (l) => {
          const m = REFERENCE.minutes.exec(l);
          expect(matchMinutes(l)).toEqual(m ? { title: m[1], minutes: Number(m[2]) } : null);
        },
      ),
      RUNS,
    );
  });

  it('isFence, isIndented, stripIndent and matchQuote ≡ their expressions', () => {
    fc.assert(
      fc.property(line, (l) => {
        expect(isFence(l)).toBe(REFERENCE.fence.test(l));
        expect(isIndented(l)).toBe(REFERENCE.indented.test(l));
        expect(stripIndent(l)).toBe(l.replace(/^( {2}|\t)/, ''));
        const q = REFERENCE.quote.exec(l);
        expect(matchQuote(l)).toBe(q ? q[1] : null);
      }),
      RUNS,
    );
  });

  it('isWhitespaceCode ≡ /\\s/ for every UTF-16 code unit', () => {
    const differ: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isWhitespaceCode(code) !== /\s/.test(String.fromCharCode(code))) differ.push(code);
    }
    expect(differ).toEqual([]);
  });

  it("dropLeadingBlankLines ≡ replace(/^\\s*\\n/, '')", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(dropLeadingBlankLines(t)).toBe(t.replace(/^\s*\n/, ''));
      }),
      RUNS,
    );
  });
});

describe('when a line is long and adversarial', () => {
  const n = 200_000;
  it.each([
    ['a heading with a long run of spaces before a stray character', `## a${' '.repeat(n)}x`],
    ['a heading of tabs and hashes', `###${' \t#'.repeat(n / 3)}x`],
    ['a task of spaces', `- a${' '.repeat(n)}x`],
    ['a title ending in an unclosed minutes mark', `a${' '.repeat(n)}(12345 min`],
    ['a title of spaces before many digits', `a${' '.repeat(n)}(${'9'.repeat(n)} min)`],
    ['a kind that never closes', `[${'['.repeat(n)}`],
    ['a run of hashes', '#'.repeat(n)],
    ['whitespace before the first line break', `${' \t'.repeat(n / 2)}\n${' '.repeat(n)}`],
  ])('scans %s in linear time', (_name, l) => {
    const started = performance.now();
    matchHeading(l);
    matchListItem(l, '-');
    matchListItem(l, '*');
    matchTaskKind(l);
    matchMinutes(l);
    matchQuote(l);
    isFence(l);
    dropLeadingBlankLines(l);
    // Each scanner reads the line a few times: well under a millisecond per 100,000 characters.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
