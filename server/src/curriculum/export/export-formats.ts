import type { ExportFormat } from '../../../../contracts/api';

/** What each export format is downloaded as (docs/export.md). */
export interface ExportFileType {
  /** Appended to the course title's file name, e.g. `-scorm12.zip`. */
  suffix: string;
  contentType: string;
  /** A zip of lesson pages + imsmanifest.xml: needs at least one lesson. */
  lmsPackage: boolean;
}

export const EXPORT_FILE_TYPES: Record<ExportFormat, ExportFileType> = {
  scorm12: { suffix: '-scorm12.zip', contentType: 'application/zip', lmsPackage: true },
  scorm2004: { suffix: '-scorm2004.zip', contentType: 'application/zip', lmsPackage: true },
  imscc: { suffix: '.imscc', contentType: 'application/vnd.ims.imsccv1p3', lmsPackage: true },
  markdown: { suffix: '.md', contentType: 'text/markdown; charset=utf-8', lmsPackage: false },
  'markdown-zip': { suffix: '-markdown.zip', contentType: 'application/zip', lmsPackage: false },
  json: { suffix: '.json', contentType: 'application/json; charset=utf-8', lmsPackage: false },
};

/** A lower-case ASCII slug for file and folder names (`fallback` when nothing is left). */
export function slugify(text: string, fallback: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** `attachment` with an ASCII file name and the UTF-8 one (RFC 6266 / RFC 5987). */
export function contentDisposition(title: string, format: ExportFormat): string {
  const suffix = EXPORT_FILE_TYPES[format].suffix;
  const ascii = `${slugify(title, 'course')}${suffix}`;
  const readable =
    title
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001F\u007F/\\:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 100) || 'course';
  const encoded = encodeURIComponent(`${readable}${suffix}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
