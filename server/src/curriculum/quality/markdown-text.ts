/** A fence opener or closer: up to three spaces, then three or more backticks or tildes (CommonMark). */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export interface FenceScan {
  /** The text outside fenced code blocks (one line each, code lines left out). */
  prose: string;
  /** 1-based line of a fence that is never closed, if any. */
  unclosedAt: number | null;
}

/**
 * One pass over the lines: what is prose and whether a code fence stays open. A closing fence uses the opener's
 * character, at least as many of them, and nothing after but spaces. Linear in the text's length.
 */
export function scanFences(markdown: string): FenceScan {
  const prose: string[] = [];
  let open: { char: string; length: number; line: number } | null = null;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (open) {
      if (m && m[1][0] === open.char && m[1].length >= open.length && m[2].trim() === '') open = null;
      continue;
    }
    // A backtick fence's info string may not contain a backtick (then it is inline code, not a fence).
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      open = { char: m[1][0], length: m[1].length, line: i + 1 };
      continue;
    }
    prose.push(lines[i]);
  }
  return { prose: prose.join('\n'), unclosedAt: open ? open.line : null };
}

/** Prose without fenced code blocks nor inline code spans: what placeholder and language checks read. */
export const proseOf = (markdown: string): string => scanFences(markdown).prose.replace(/`[^`\n]*`/g, ' ');
