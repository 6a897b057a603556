import { decodeExportedTree, stripExportMarker } from './exported-markdown';
import { looksLikeZip, markdownFromZip } from './markdown-zip';
import { OutlineTree } from './outline-tree';

interface UploadWithFile {
  file?: { buffer: Buffer; originalname: string; size: number };
}

const keep = (tree: OutlineTree): OutlineTree => tree;

/**
 * Before the outline parser: a markdown-zip becomes its single Markdown file, and a file written by the Markdown
 * export loses its marker and gets its escapes undone after parsing (docs/export.md). Other uploads pass as they are.
 */
export async function readExportedUpload<T extends UploadWithFile>(
  upload: T,
): Promise<{ upload: T; decode: (tree: OutlineTree) => OutlineTree }> {
  const file = upload.file;
  if (!file) return { upload, decode: keep };
  let bytes = file.buffer;
  let name = file.originalname;
  if (looksLikeZip(bytes, name)) {
    bytes = Buffer.from(await markdownFromZip(bytes), 'utf8');
    name = `${name.replace(/\.zip$/i, '')}.md`;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { upload: { ...upload, file: { ...file, buffer: bytes, originalname: name } }, decode: keep };
  }
  const { text: outline, exported } = stripExportMarker(text);
  return {
    upload: { ...upload, file: { ...file, buffer: Buffer.from(outline, 'utf8'), originalname: name } },
    decode: exported ? decodeExportedTree : keep,
  };
}
