import type { LessonView } from '../../../../contracts/api';
import { encodeField, EXPORT_MARKER, headingTitle } from '../outline/exported-markdown';

/**
 * The course as the Markdown outline the upload reads (docs/accounts-and-curriculum.md), written in chunks —
 * course, then each project, then each of its lessons — so an export never holds more than one lesson's text.
 * The chunks concatenated are the `format=markdown` file; `format=markdown-zip` stores them as separate files.
 */

export interface CourseHead {
  title: string;
  description: string;
}

export interface ProjectHead {
  title: string;
  description: string;
  objectives: string[];
}

const minutes = (m: number | null): string => (m === null ? '' : ` (${m} min)`);

const block = (lines: string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);

export function courseMarkdown(course: CourseHead): string {
  return `${EXPORT_MARKER}\n# ${headingTitle(course.title)}\n\n${block(encodeField(course.description, 'body'))}`;
}

export function projectMarkdown(project: ProjectHead): string {
  const objectives = project.objectives.map((o) => `* ${o}`);
  return `## ${headingTitle(project.title)}\n\n${block(encodeField(project.description, 'body'))}${block(objectives)}`;
}

export function lessonMarkdown(lesson: LessonView): string {
  const summary = encodeField(lesson.summary, 'summary').map((l) => `> ${l}`);
  let out = `### ${headingTitle(lesson.title)}${minutes(lesson.estimated_minutes)}\n`;
  out += summary.length > 0 ? `${summary.join('\n')}\n\n` : '\n';
  out += block(encodeField(lesson.content, 'body'));
  for (const task of lesson.tasks) {
    const instructions = encodeField(task.instructions, 'task').map((l) => (l.length > 0 ? `  ${l}` : l));
    out += `- [${task.kind}] ${task.title}${minutes(task.estimated_minutes)}\n`;
    out += block(instructions);
    if (instructions.length === 0) out += '\n';
  }
  return out;
}
