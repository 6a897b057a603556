import { TASK_KINDS } from '../../../../contracts/api';
import { TASK_LIMITS } from '../schemas/tasks.schema';
import type { TasksContext } from './prompt-context';
import {
  bulletList,
  courseBlock,
  instructionsBlock,
  outputRules,
  type PromptTemplate,
} from './prompt-template';

export const tasksPrompt: PromptTemplate<TasksContext> = {
  // @3: shared part first, step-specific part last, so providers' prompt caching applies (docs/costs.md).
  // @2: an editor's instructions (regeneration); without them the text is exactly as before.
  id: 'tasks@3',
  system: [
    'You are a senior instructional designer writing the practice tasks of one lesson of an online course.',
    'Tasks make the learner apply exactly what the lesson taught: exercises, quizzes, reflections or small projects,',
    'each with instructions a learner can follow without help and a clear way to know they are done.',
  ].join(' '),
  // Everything up to the lesson's own block is the same for every tasks step of a project (with the lesson's
  // position known): course, requirements, project and its lessons. The step-specific part comes last.
  render(ctx) {
    const others = ctx.sibling_lessons.filter((t) => t !== ctx.lesson.title);
    const index = ctx.lesson_index;
    const known = index !== undefined && index >= 0 && index <= others.length;
    const lessons = known ? [...others.slice(0, index), ctx.lesson.title, ...others.slice(index)] : others;
    return [
      courseBlock(ctx.course),
      '',
      'Every task you write:',
      `- title: at most ${TASK_LIMITS.title} characters.`,
      `- instructions: Markdown, at most ${TASK_LIMITS.instructions} characters: what to do, step by step, and what done looks like.`,
      `- kind: one of ${TASK_KINDS.join(', ')}.`,
      '- estimated_minutes: a whole number from 5 to 240.',
      '',
      outputRules(ctx.course.language),
      '',
      `Project: ${ctx.project.title}`,
      `Project description: ${ctx.project.description}`,
      '',
      known
        ? 'The lessons of this project, in order (the others are practised elsewhere):'
        : 'The other lessons of this project (their material is practised elsewhere):',
      bulletList(lessons),
      '',
      `This lesson${known ? ` (lesson ${index + 1} of ${others.length + 1})` : ''}: ${ctx.lesson.title}`,
      `Lesson summary: ${ctx.lesson.summary}`,
      '',
      'Tasks this lesson already has (do not repeat them):',
      bulletList(ctx.existing_tasks),
      '',
      ...instructionsBlock(ctx.instructions),
      `Write exactly ${ctx.task_count} task(s) for this lesson, with distinct titles and, where there are several, more than one kind.`,
    ].join('\n');
  },
};
