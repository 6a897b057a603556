/**
 * Line scanners of the Markdown outline format, in plain string scanning: each looks at a line a bounded number
 * of times, so parsing stays linear in the file's length whatever it holds (docs/accounts-and-curriculum.md).
 * Each reproduces exactly what the earlier regular expression (named above it) matched; the differential
 * property tests in markdown-lines.spec.ts hold them to it.
 */

const isSpaceOrTab = (c: string): boolean => c === ' ' || c === '\t';
/** Characters `.` does not match in a regular expression without the `s` flag (\n and \r never reach a line). */
const hasLineTerminator = (s: string): boolean => s.includes('\u2028') || s.includes('\u2029');

/** Index of the first character at or after `from` that is not a space or tab. */
function skipSpaces(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpaceOrTab(s[i])) i++;
  return i;
}

/** Scanning back from `end` (not below `start`) over characters that are `like`: where that run begins. */
function skipBack(s: string, start: number, end: number, like: (c: string) => boolean): number {
  let i = end;
  while (i > start && like(s[i - 1])) i--;
  return i;
}

export interface Heading {
  depth: 1 | 2 | 3;
  /** The text after the hashes, without surrounding blanks and without a closing run of `#`. */
  raw: string;
}

/**
 * `/^(#{1,3})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$/`: one to three `#` (more count as three, and then only `#` and blanks
 * may follow), then blanks and the title, then an optional closing run of `#`.
 */
export function matchHeading(line: string): Heading | null {
  let hashes = 0;
  while (hashes < line.length && line[hashes] === '#') hashes++;
  if (hashes === 0 || hasLineTerminator(line)) return null;
  const depth = Math.min(hashes, 3) as 1 | 2 | 3;
  if (depth === line.length) return { depth, raw: '' };
  if (!isSpaceOrTab(line[depth])) {
    // No title: the rest must be `#*[ \t]*`.
    let i = depth;
    while (i < line.length && line[i] === '#') i++;
    return skipSpaces(line, i) === line.length ? { depth, raw: '' } : null;
  }
  const start = skipSpaces(line, depth);
  // The title ends where the longest tail of the form `[ \t]*#*[ \t]*` begins.
  let end = skipBack(line, start, line.length, isSpaceOrTab);
  end = skipBack(line, start, end, (c) => c === '#');
  end = skipBack(line, start, end, isSpaceOrTab);
  return { depth, raw: line.slice(start, end) };
}

/** `/^-[ \t]+(.*)$/` (a task) or `/^\*[ \t]+(.*)$/` (an objective): the text after the marker and its blanks. */
export function matchListItem(line: string, marker: '-' | '*'): string | null {
  if (line.length < 2 || line[0] !== marker || !isSpaceOrTab(line[1]) || hasLineTerminator(line)) return null;
  return line.slice(skipSpaces(line, 1));
}

/** `/^\[([^\]]*)\][ \t]*(.*)$/`: a task's `[kind]` prefix and the rest of its title. */
export function matchTaskKind(raw: string): { kind: string; rest: string } | null {
  if (raw[0] !== '[') return null;
  const close = raw.indexOf(']');
  if (close < 0) return null;
  const restStart = skipSpaces(raw, close + 1);
  if (hasLineTerminator(raw.slice(restStart))) return null;
  return { kind: raw.slice(1, close), rest: raw.slice(restStart) };
}

/**
 * `/^(.*?)[ \t]+\((\d{1,5})[ \t]*min\)$/`: a trailing `(30 min)` after at least one blank. `text` is already
 * trimmed; the title is what precedes the blanks.
 */
export function matchMinutes(text: string): { title: string; minutes: number } | null {
  if (!text.endsWith('min)')) return null;
  const afterDigits = skipBack(text, 0, text.length - 4, isSpaceOrTab);
  const digitsStart = skipBack(text, 0, afterDigits, (c) => c >= '0' && c <= '9');
  const digits = afterDigits - digitsStart;
  if (digits < 1 || digits > 5 || text[digitsStart - 1] !== '(') return null;
  const open = digitsStart - 1;
  const titleEnd = skipBack(text, 0, open, isSpaceOrTab);
  if (titleEnd === open) return null;
  const title = text.slice(0, titleEnd);
  if (hasLineTerminator(title)) return null;
  return { title, minutes: Number(text.slice(digitsStart, afterDigits)) };
}

/** `/^[ \t]*(```|~~~)/`: a code fence, possibly indented. */
export function isFence(line: string): boolean {
  const i = skipSpaces(line, 0);
  return line.startsWith('```', i) || line.startsWith('~~~', i);
}

/** `/^( {2,}|\t)/`: indented by two spaces or a tab. */
export function isIndented(line: string): boolean {
  return line.startsWith('  ') || line[0] === '\t';
}

/** `line.replace(/^( {2}|\t)/, '')`: one level of indentation removed. */
export function stripIndent(line: string): string {
  if (line.startsWith('  ')) return line.slice(2);
  return line[0] === '\t' ? line.slice(1) : line;
}

/** `/^>[ \t]?(.*)$/`: a `> summary` line's text. */
export function matchQuote(line: string): string | null {
  if (line[0] !== '>' || hasLineTerminator(line)) return null;
  return line.slice(isSpaceOrTab(line[1] ?? '') ? 2 : 1);
}

/** `/\s/.test(c)` for the character with this code: ECMAScript's WhiteSpace and LineTerminator. */
export function isWhitespaceCode(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `text.replace(/^\s*\n/, '')`: drops leading blank lines (the whitespace up to the last of its line breaks). */
export function dropLeadingBlankLines(text: string): string {
  let lastBreak = -1;
  for (let i = 0; i < text.length && isWhitespaceCode(text.charCodeAt(i)); i++)
    if (text[i] === '\n') lastBreak = i;
  return lastBreak < 0 ? text : text.slice(lastBreak + 1);
}
