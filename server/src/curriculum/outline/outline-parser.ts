import { DomainError, InvalidInputError } from '../../common/domain-error';
import { parseJsonOutlineText } from './json-outline';
import { isWhitespaceCode } from './markdown-lines';
import { parseMarkdownOutline } from './markdown-outline';
import { OutlineTree } from './outline-tree';

export { OutlinePathError, parseJsonOutline } from './json-outline';
export { OutlineLineError, parseMarkdownOutline } from './markdown-outline';
export type { OutlineTree } from './outline-tree';

/** An uploaded file: JSON when its name ends in .json or its text starts with `{`, else Markdown. Pure. */
export function parseOutlineFile(bytes: Buffer, filename = ''): OutlineTree {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new DomainError('invalid', 'The file is not UTF-8 text', undefined, { cause: err });
  }
  if (text.includes('\u0000')) throw new InvalidInputError('The file is not UTF-8 text');
  if (text.trim().length === 0) throw new InvalidInputError('The file is empty', { line: 1 });
  const looksJson = filename.slice(-5).toLowerCase() === '.json' || startsLikeJson(text);
  return looksJson ? parseJsonOutlineText(text) : parseMarkdownOutline(text);
}

/** `/^\uFEFF?\s*[[{]/`, scanned: after a BOM and whitespace, the first character opens an object or array. */
function startsLikeJson(text: string): boolean {
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  while (i < text.length && isWhitespaceCode(text.charCodeAt(i))) i++;
  return text[i] === '{' || text[i] === '[';
}
