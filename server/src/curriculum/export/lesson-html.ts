import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { LessonView, TaskKind } from '../../../../contracts/api';

/**
 * One lesson as a self-contained HTML page for the SCORM and Common Cartridge packages (docs/export.md): its
 * Markdown rendered and sanitized (no scripts, handlers, styles, frames or images — nothing that runs or fetches
 * from the network), then its tasks. Styles and the runtime script are files of the package (package-assets.ts).
 */

const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'samp',
    'em',
    'strong',
    'del',
    's',
    'sub',
    'sup',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    code: ['class'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedClasses: { code: [/^language-[\w+-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Text of a dropped element (e.g. <script>) is dropped with it; other unknown tags keep their text.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
  ],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }),
  },
};

/** Markdown → HTML with only the tags and attributes above. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, SANITIZE);
}

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  exercise: 'Exercise',
  quiz: 'Quiz',
  reflection: 'Reflection',
  project: 'Project',
};

export interface LessonPageOptions {
  courseTitle: string;
  projectTitle: string;
  language: string;
  /** `1.2`, `2004` (the runtime script reports completion to that API) or `none` (Common Cartridge). */
  scorm: '1.2' | '2004' | 'none';
  /** Relative path from the page to the package's assets folder, e.g. `../assets`. */
  assets: string;
}

export function lessonPage(lesson: LessonView, options: LessonPageOptions): string {
  const minutes = lesson.estimated_minutes === null ? '' : ` · ${lesson.estimated_minutes} min`;
  const tasks = lesson.tasks
    .map((t) => {
      const taskMinutes = t.estimated_minutes === null ? '' : ` · ${t.estimated_minutes} min`;
      return (
        `<li class="task task-${t.kind}">\n<h3>${escapeHtml(t.title)}</h3>\n` +
        `<p class="task-meta"><span class="task-kind">${TASK_KIND_LABELS[t.kind]}</span>${taskMinutes}</p>\n` +
        `<div class="task-instructions">${renderMarkdown(t.instructions)}</div>\n</li>`
      );
    })
    .join('\n');
  const script =
    options.scorm === 'none' ? '' : `<script src="${options.assets}/scorm-runtime.js" defer></script>\n`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.language)}" data-scorm="${options.scorm}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(lesson.title)}</title>
<link rel="stylesheet" href="${options.assets}/lesson.css">
${script}</head>
<body>
<main class="lesson">
<header>
<p class="breadcrumb">${escapeHtml(options.courseTitle)} › ${escapeHtml(options.projectTitle)}</p>
<h1>${escapeHtml(lesson.title)}</h1>
${lesson.summary ? `<p class="summary">${escapeHtml(lesson.summary)}${minutes}</p>` : minutes ? `<p class="summary">${minutes.slice(3)}</p>` : ''}
</header>
<article class="content">
${renderMarkdown(lesson.content)}
</article>
${tasks ? `<section class="tasks">\n<h2>Tasks</h2>\n<ol>\n${tasks}\n</ol>\n</section>\n` : ''}<p class="lesson-end" id="lesson-end" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;
}
