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
  // @2: an editor's instructions (regeneration); without them the text is exactly @1's.
  id: 'tasks@2',
  system: [
    'You are a senior instructional designer writing the practice tasks of one lesson of an online course.',
    'Tasks make the learner apply exactly what the lesson taught: exercises, quizzes, reflections or small projects,',
    'each with instructions a learner can follow without help and a clear way to know they are done.',
  ].join(' '),
  render(ctx) {
    return [
      courseBlock(ctx.course),
      '',
      `Project: ${ctx.project.title}`,
      `Project description: ${ctx.project.description}`,
      '',
      `Lesson: ${ctx.lesson.title}`,
      `Lesson summary: ${ctx.lesson.summary}`,
      '',
      'The other lessons of this project (their material is practised elsewhere):',
      bulletList(ctx.sibling_lessons),
      '',
      'Tasks this lesson already has (do not repeat them):',
      bulletList(ctx.existing_tasks),
      '',
      ...instructionsBlock(ctx.instructions),
      `Write exactly ${ctx.task_count} task(s) for this lesson, with distinct titles and, where there are several, more than one kind.`,
      `- title: at most ${TASK_LIMITS.title} characters.`,
      `- instructions: Markdown, at most ${TASK_LIMITS.instructions} characters: what to do, step by step, and what done looks like.`,
      `- kind: one of ${TASK_KINDS.join(', ')}.`,
      '- estimated_minutes: a whole number from 5 to 240.',
      '',
      outputRules(ctx.course.language),
    ].join('\n');
  },
};
