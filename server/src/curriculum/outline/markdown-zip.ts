import { fromBufferPromise, ZipFile } from 'yauzl';
import { DomainError, InvalidInputError } from '../../common/domain-error';

/**
 * Reads a `format=markdown-zip` course (docs/export.md): `README.md` (the course; a table of contents after
 * MARKDOWN_ZIP_CONTENTS_MARKER is ignored), a folder per project with its `README.md`, and a `.md` file per lesson,
 * folders and files in name order. Produces the single Markdown outline the upload parser reads. Bounded: entry
 * count, uncompressed bytes, no paths outside the zip.
 */
export const MARKDOWN_ZIP_CONTENTS_MARKER = '<!-- courseloom:contents -->';

export const ZIP_LIMITS = {
  entries: 5_000,
  /** Uncompressed bytes of all Markdown files together: zip bombs stop here, and the joined text the (linear)
   *  parser then reads stays small enough not to hold the event loop (a 50 × 10 course exports ≈ 6.5 MB). */
  totalBytes: 8 * 1024 * 1024,
} as const;

/** A zip file starts with a local file header (or, empty, with the end-of-central-directory record). */
export function looksLikeZip(bytes: Buffer, filename = ''): boolean {
  const magic = bytes.subarray(0, 4).toString('latin1');
  return magic === 'PK\u0003\u0004' || magic === 'PK\u0005\u0006' || /\.zip$/i.test(filename);
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

async function readEntries(zip: ZipFile): Promise<Map<string, string>> {
  if (zip.entryCount > ZIP_LIMITS.entries) {
    throw new InvalidInputError(`The zip has more than ${ZIP_LIMITS.entries} entries`);
  }
  const files = new Map<string, string>();
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName;
    const segments = name.split('/');
    if (name.endsWith('/') || segments[0] === '__MACOSX' || segments.some((s) => s.startsWith('.'))) continue;
    if (!/\.md$/i.test(name)) continue;
    total += entry.uncompressedSize;
    if (total > ZIP_LIMITS.totalBytes) {
      throw new DomainError(
        'too_large',
        `The zip's Markdown files are larger than ${ZIP_LIMITS.totalBytes} bytes`,
      );
    }
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch (err) {
      throw new DomainError('invalid', `${name} is not UTF-8 text`, undefined, { cause: err });
    }
    files.set(name, text);
  }
  return files;
}

/** The Markdown outline the files of a markdown-zip make, or 400 naming what is wrong with the zip. */
export async function markdownFromZip(bytes: Buffer): Promise<string> {
  let files: Map<string, string>;
  let zip: ZipFile | undefined;
  try {
    // yauzl refuses absolute paths, `..` segments and backslashes in names, and entries whose sizes lie.
    zip = await fromBufferPromise(bytes, {
      lazyEntries: true,
      validateEntrySizes: true,
      decodeStrings: true,
    });
    files = await readEntries(zip);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('invalid', `The zip cannot be read: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  } finally {
    zip?.close();
  }

  // A zip of the folder itself (`course/README.md …`): read inside that folder.
  const names = [...files.keys()];
  const top = names[0]?.split('/')[0];
  const strip = names.length > 0 && names.every((n) => n.split('/').length > 1 && n.split('/')[0] === top);
  const tree = new Map(names.map((n) => [strip ? n.slice(top!.length + 1) : n, files.get(n)!]));

  const readme = tree.get('README.md');
  if (readme === undefined) throw new InvalidInputError('The zip has no README.md (the course) at its root');
  const folders = new Map<string, string[]>();
  for (const path of tree.keys()) {
    const parts = path.split('/');
    if (parts.length === 1) continue; // other root files (CONTRIBUTING.md …) are not part of the course
    if (parts.length > 2) {
      throw new InvalidInputError(`${path}: lessons are files directly inside a project folder`);
    }
    folders.set(parts[0], [...(folders.get(parts[0]) ?? []), parts[1]]);
  }

  const marker = readme.lastIndexOf(MARKDOWN_ZIP_CONTENTS_MARKER);
  const chunks = [marker >= 0 ? readme.slice(0, marker) : readme];
  for (const folder of [...folders.keys()].sort(byName)) {
    const project = tree.get(`${folder}/README.md`);
    if (project === undefined) throw new InvalidInputError(`${folder}/ has no README.md (the project)`);
    chunks.push(project);
    const lessons = folders.get(folder)!.filter((f) => f !== 'README.md');
    for (const lesson of lessons.sort(byName)) chunks.push(tree.get(`${folder}/${lesson}`)!);
  }
  return chunks.map((c) => (c.endsWith('\n') ? c : `${c}\n`)).join('');
}
