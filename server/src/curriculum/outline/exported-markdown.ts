import { OutlineTree } from './outline-tree';

/**
 * The escapes that let `format=markdown` exports go back through the Markdown outline parser unchanged
 * (docs/export.md, "Markdown"). An export starts with EXPORT_MARKER; only such a file is decoded on upload, so
 * hand-written outlines are read exactly as before.
 *
 * Outside fenced code blocks, a line of a text field that the parser would read as structure is escaped:
 * - a line starting (after any spaces) with `#`, `- `, `* ` or `>` gets one more leading space — Markdown renders
 *   it the same, and the parser only sees structure in column 0;
 * - a line starting with `\`, a blank first line (dropped by the parser), a whitespace-only task line (read as a
 *   blank) and an unclosed fence get a leading `\`;
 * - a field ending in whitespace (trimmed by the parser) gets a last line `\`.
 * Decoding undoes exactly these, so the pair is a bijection on text without carriage returns.
 */
export const EXPORT_MARKER = '<!-- courseloom-outline-export v1 -->';

/** How a field is written: `body` = course/project description or lesson content; `task` = indented instructions. */
export type FieldKind = 'body' | 'summary' | 'task';

const FENCE = /^[ \t]*(```|~~~)/;
const STRUCTURE = /^ *(#|-[ \t]|\*[ \t]|>)/;
const SPACED_STRUCTURE = /^ +(#|-[ \t]|\*[ \t]|>)/;
const TERMINATOR = '\\';

const isBlank = (line: string): boolean => line.trim().length === 0;

/** The field as escaped lines (before the task indent or the summary's `> `); `[]` for an empty field. */
export function encodeField(text: string, kind: FieldKind): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  const fences = kind === 'summary' ? [] : lines.flatMap((l, i) => (FENCE.test(l) ? [i] : []));
  const unclosed = fences.length % 2 === 1 ? fences[fences.length - 1] : -1;
  let inFence = false;
  const out = lines.map((line, i) => {
    if (i !== unclosed && kind !== 'summary' && FENCE.test(line)) {
      inFence = !inFence;
      return line;
    }
    if (inFence) return line;
    const backslash =
      i === unclosed ||
      line.startsWith('\\') ||
      (i === 0 && (kind === 'summary' ? /^\s/.test(line) || line === '' : isBlank(line))) ||
      (kind === 'task' && line.length > 0 && isBlank(line));
    if (backslash) return `\\${line}`;
    if (kind === 'body' && STRUCTURE.test(line)) return ` ${line}`;
    return line;
  });
  if (text !== text.trimEnd()) out.push(TERMINATOR);
  return out;
}

/** Inverse of encodeField for the text the parser read (lines joined by `\n`). */
export function decodeField(text: string, kind: FieldKind): string {
  if (text.length === 0) return text;
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === TERMINATOR) lines.pop();
  let inFence = false;
  return lines
    .map((line) => {
      if (kind !== 'summary' && FENCE.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      if (line.startsWith('\\')) return line.slice(1);
      if (kind === 'body' && SPACED_STRUCTURE.test(line)) return line.slice(1);
      return line;
    })
    .join('\n');
}

/** A heading title the parser reads back unchanged: a trailing `#` would be taken for a closing sequence. */
export function headingTitle(title: string): string {
  return title.endsWith('#') ? `${title} #` : title;
}

/** The text without the export marker (replaced by a blank line, so parser line numbers stay right). */
export function stripExportMarker(text: string): { text: string; exported: boolean } {
  const body = text.replace(/^\uFEFF/, '');
  const newline = body.search(/\r?\n|$/);
  if (body.slice(0, newline).trim() !== EXPORT_MARKER) return { text, exported: false };
  return { text: body.slice(newline), exported: true };
}

/** Undoes the escapes in every text field of a tree parsed from an export. */
export function decodeExportedTree(tree: OutlineTree): OutlineTree {
  return {
    ...tree,
    description: decodeField(tree.description, 'body'),
    projects: tree.projects.map((p) => ({
      ...p,
      description: decodeField(p.description, 'body'),
      lessons: p.lessons.map((l) => ({
        ...l,
        summary: decodeField(l.summary, 'summary'),
        content: decodeField(l.content, 'body'),
        tasks: l.tasks.map((t) => ({ ...t, instructions: decodeField(t.instructions, 'task') })),
      })),
    })),
  };
}
