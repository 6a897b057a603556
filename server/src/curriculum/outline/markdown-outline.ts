import { TASK_KINDS, TaskKind } from '../../../../contracts/api';
import { InvalidInputError } from '../../common/domain-error';
import { LIMITS } from '../curriculum-limits';
import {
  dropLeadingBlankLines,
  isFence,
  isIndented,
  matchHeading,
  matchListItem,
  matchMinutes,
  matchQuote,
  matchTaskKind,
  stripIndent,
} from './markdown-lines';
import { OutlineLesson, OutlineProjectTree, OutlineTask, OutlineTree } from './outline-tree';

/** A malformed Markdown outline: 400 with the 1-based line that failed. */
export class OutlineLineError extends InvalidInputError {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`Line ${line}: ${problem}`, { line });
  }
}

type Level = 'course' | 'project' | 'lesson' | 'task';

/** Text under a heading, kept as written but without leading and trailing blank lines. */
function joinBody(lines: string[]): string {
  return dropLeadingBlankLines(lines.join('\n')).trimEnd();
}

function titleWithMinutes(raw: string): { title: string; minutes: number | null } {
  const match = matchMinutes(raw.trim());
  return match ? { title: match.title.trim(), minutes: match.minutes } : { title: raw.trim(), minutes: null };
}

/**
 * Parses the Markdown outline format:
 *
 *     # Course title            (exactly one, first)
 *     description lines
 *     ## Project title
 *     description lines; `* objective` lines are the project's objectives
 *     ### Lesson title (30 min)
 *     `> summary` lines right under the heading; other lines are the lesson's Markdown content
 *     - task title              (`- [quiz] title` sets the kind; default exercise)
 *       indented lines are the task's instructions
 *
 * Throws OutlineLineError naming the first line that does not fit (a line longer than LIMITS.outlineLine
 * characters never fits). Pure, no I/O, and linear in the text's length: no regular expression that can
 * backtrack (markdown-lines.ts), nothing rescanned per line.
 */
export function parseMarkdownOutline(text: string): OutlineTree {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let course: (OutlineTree & { body: string[]; line: number }) | null = null;
  let project: (OutlineProjectTree & { body: string[]; line: number }) | null = null;
  let lesson:
    (OutlineLesson & { body: string[]; bodyHasText: boolean; summaryLines: string[]; line: number }) | null =
    null;
  let task: (OutlineTask & { body: string[]; pendingBlank: number; line: number }) | null = null;
  let level: Level | null = null;
  let inFence = false;

  const fail = (line: number, problem: string): never => {
    throw new OutlineLineError(line, problem);
  };
  const checkTitle = (n: number, what: string, title: string): void => {
    if (title.length === 0) fail(n, `the ${what} title is empty`);
    if (title.length > LIMITS.title) fail(n, `the ${what} title is longer than ${LIMITS.title} characters`);
  };
  const checkLength = (n: number, what: string, value: string, max: number): void => {
    if (value.length > max) fail(n, `the ${what} is longer than ${max} characters`);
  };

  const closeTask = (): void => {
    if (!task) return;
    task.instructions = joinBody(task.body);
    checkLength(task.line, 'task instructions', task.instructions, LIMITS.instructions);
    task = null;
  };
  const closeLesson = (): void => {
    closeTask();
    if (!lesson) return;
    lesson.summary = lesson.summaryLines.join('\n').trim();
    lesson.content = joinBody(lesson.body);
    checkLength(lesson.line, 'lesson summary', lesson.summary, LIMITS.summary);
    checkLength(lesson.line, 'lesson content', lesson.content, LIMITS.content);
    lesson = null;
  };
  const closeProject = (): void => {
    closeLesson();
    if (!project) return;
    project.description = joinBody(project.body);
    checkLength(project.line, 'project description', project.description, LIMITS.projectDescription);
    project = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i];
    if (line.length > LIMITS.outlineLine) fail(n, `the line is longer than ${LIMITS.outlineLine} characters`);

    // Inside a fenced code block (and on its fence lines) every line is text of whatever is open.
    const fence = isFence(line);
    const literal = inFence || fence;
    if (fence) inFence = !inFence;
    if (literal && !course) fail(n, "the outline must start with a '# Course title' line");

    const heading = literal ? null : matchHeading(line);
    if (heading) {
      const { depth, raw } = heading;
      if (depth === 1) {
        if (course) fail(n, "only one '# Course title' line is allowed");
        const title = raw.trim();
        checkTitle(n, 'course', title);
        course = {
          title,
          description: '',
          topic: '',
          audience: '',
          level: null,
          language: 'en',
          projects: [],
          body: [],
          line: n,
        };
        level = 'course';
        continue;
      }
      if (!course) fail(n, "the outline must start with a '# Course title' line");
      if (depth === 2) {
        closeProject();
        const title = raw.trim();
        checkTitle(n, 'project', title);
        if (course!.projects.length >= LIMITS.projects)
          fail(n, `a course has at most ${LIMITS.projects} projects`);
        project = { title, description: '', objectives: [], lessons: [], body: [], line: n };
        course!.projects.push(project);
        level = 'project';
        continue;
      }
      // depth 3
      if (!project) fail(n, "a lesson must be under a project ('## Project title')");
      closeLesson();
      const { title, minutes } = titleWithMinutes(raw);
      checkTitle(n, 'lesson', title);
      if (project!.lessons.length >= LIMITS.lessonsPerProject) {
        fail(n, `a project has at most ${LIMITS.lessonsPerProject} lessons`);
      }
      lesson = {
        title,
        summary: '',
        content: '',
        estimated_minutes: minutes,
        tasks: [],
        body: [],
        bodyHasText: false,
        summaryLines: [],
        line: n,
      };
      project!.lessons.push(lesson);
      level = 'lesson';
      continue;
    }

    const taskText = literal ? null : matchListItem(line, '-');
    if (taskText !== null) {
      if (!course) fail(n, "the outline must start with a '# Course title' line");
      if (!lesson) fail(n, "a task must be under a lesson ('### Lesson title')");
      closeTask();
      let raw = taskText;
      let kind: TaskKind = 'exercise';
      const kindMatch = matchTaskKind(raw);
      if (kindMatch) {
        const named = kindMatch.kind.trim().toLowerCase();
        if (!(TASK_KINDS as readonly string[]).includes(named)) {
          fail(n, `unknown task kind "${kindMatch.kind}" (use ${TASK_KINDS.join(', ')})`);
        }
        kind = named as TaskKind;
        raw = kindMatch.rest;
      }
      const { title, minutes } = titleWithMinutes(raw);
      checkTitle(n, 'task', title);
      if (lesson!.tasks.length >= LIMITS.tasksPerLesson)
        fail(n, `a lesson has at most ${LIMITS.tasksPerLesson} tasks`);
      task = {
        title,
        instructions: '',
        kind,
        estimated_minutes: minutes,
        body: [],
        pendingBlank: 0,
        line: n,
      };
      lesson!.tasks.push(task);
      level = 'task';
      continue;
    }

    const blank = line.trim().length === 0;
    if (!course) {
      if (blank) continue;
      fail(n, "the outline must start with a '# Course title' line");
    }

    switch (level) {
      case 'course':
        course!.body.push(line);
        break;
      case 'project': {
        const objective = literal ? null : matchListItem(line, '*');
        if (objective !== null) {
          const text = objective.trim();
          if (text.length > LIMITS.objective)
            fail(n, `an objective is longer than ${LIMITS.objective} characters`);
          if (project!.objectives.length >= LIMITS.objectives) {
            fail(n, `a project has at most ${LIMITS.objectives} objectives`);
          }
          if (text.length > 0) project!.objectives.push(text);
        } else {
          project!.body.push(line);
        }
        break;
      }
      case 'lesson': {
        // `> summary` lines count until the lesson's content has text (a flag, not a rescan of the content).
        const quote = literal || lesson!.bodyHasText ? null : matchQuote(line);
        if (quote !== null) {
          lesson!.summaryLines.push(quote);
        } else {
          lesson!.body.push(line);
          if (!blank) lesson!.bodyHasText = true;
        }
        break;
      }
      case 'task':
        if (blank && !literal) {
          task!.pendingBlank++;
        } else if (isIndented(line) || literal) {
          for (; task!.pendingBlank > 0; task!.pendingBlank--) task!.body.push('');
          task!.body.push(stripIndent(line));
        } else {
          fail(n, "text after a task must be indented by two spaces (it is the task's instructions)");
        }
        break;
    }
  }

  if (!course) fail(Math.max(1, lines.length), "the outline must start with a '# Course title' line");
  if (inFence) fail(lines.length, 'a code block (```) is never closed');
  closeProject();
  course!.description = joinBody(course!.body);
  checkLength(course!.line, 'course description', course!.description, LIMITS.courseDescription);
  return strip(course!);
}

/** Drops the parser's bookkeeping, leaving exactly the OutlineTree fields. */
function strip(course: OutlineTree): OutlineTree {
  return {
    title: course.title,
    description: course.description,
    topic: course.topic,
    audience: course.audience,
    level: course.level,
    language: course.language,
    projects: course.projects.map((p) => ({
      title: p.title,
      description: p.description,
      objectives: p.objectives,
      lessons: p.lessons.map((l) => ({
        title: l.title,
        summary: l.summary,
        content: l.content,
        estimated_minutes: l.estimated_minutes,
        tasks: l.tasks.map((t) => ({
          title: t.title,
          instructions: t.instructions,
          kind: t.kind,
          estimated_minutes: t.estimated_minutes,
        })),
      })),
    })),
  };
}
