import { LESSON_LIMITS } from '../schemas/lessons.schema';
import type { LessonsContext } from './prompt-context';
import {
  bulletList,
  courseBlock,
  instructionsBlock,
  outputRules,
  type PromptTemplate,
} from './prompt-template';

export const lessonsPrompt: PromptTemplate<LessonsContext> = {
  // @3: shared part first, step-specific part last, so providers' prompt caching applies (docs/costs.md).
  // @2: an editor's instructions (regeneration); without them the text is exactly as before.
  id: 'lessons@3',
  system: [
    'You are a senior instructional designer writing the lessons of one project of an online course.',
    'Each lesson teaches one idea the project needs, with a short explanation, the key points and a worked example,',
    'in clear Markdown. Lessons of a project follow each other and never repeat each other or other projects.',
  ].join(' '),
  // Everything up to the project's own block is the same for every lessons step of a course (with the project's
  // position known): course, projects, requirements. The step-specific part comes last.
  render(ctx) {
    const others = ctx.sibling_projects.filter((t) => t !== ctx.project.title);
    const index = ctx.project_index;
    const known = index !== undefined && index >= 0 && index <= others.length;
    const projects = known ? [...others.slice(0, index), ctx.project.title, ...others.slice(index)] : others;
    return [
      courseBlock(ctx.course),
      '',
      known ? 'The projects of the course, in order:' : 'The other projects of the course:',
      bulletList(projects),
      '',
      'Every lesson you write:',
      `- title: at most ${LESSON_LIMITS.title} characters.`,
      `- summary: one or two sentences, at most ${LESSON_LIMITS.summary} characters.`,
      '- content: Markdown of about 250 to 600 words, with headings, a short explanation, a bulleted list of key points',
      `  and a worked example (at most ${LESSON_LIMITS.content} characters).`,
      '- estimated_minutes: a whole number from 5 to 240.',
      '',
      outputRules(ctx.course.language),
      '',
      `This project${known ? ` (project ${index + 1} of ${others.length + 1})` : ''}: ${ctx.project.title}`,
      `Project description: ${ctx.project.description}`,
      'Project objectives:',
      bulletList(ctx.project.objectives),
      '',
      'Lessons this project already has (do not repeat them):',
      bulletList(ctx.existing_lessons),
      '',
      ...instructionsBlock(ctx.instructions),
      `Write exactly ${ctx.lesson_count} lesson(s) for this project, in teaching order, with distinct titles;`,
      'stay within this project (the other projects cover the rest).',
    ].join('\n');
  },
};
