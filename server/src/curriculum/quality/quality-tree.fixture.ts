import type { QualityLesson, QualityProject, QualityTask, QualityTree } from './quality-tree';

/** Builders for the checks' specs: a clean English course of 2 projects × 2 lessons × 2 tasks by default. */
let next = 0;
const id = (prefix: string): string => `${prefix}-${++next}`;

export const task = (
  title: string,
  instructions = '1. Sketch the hive.\n2. Label each frame.',
): QualityTask => ({
  id: id('task'),
  title,
  instructions,
});

export const lesson = (title: string, tasks?: QualityTask[], content?: string): QualityLesson => ({
  id: id('lesson'),
  title,
  summary: `What ${title.toLowerCase()} covers.`,
  content:
    content ??
    `## ${title}\n\nBees live in colonies with a queen, workers and drones.\n\n- Watch the entrance\n- Note the weather`,
  tasks: tasks ?? [task(`Observe ${title}`), task(`Write about ${title}`)],
});

export const project = (title: string, lessons?: QualityLesson[]): QualityProject => ({
  id: id('project'),
  title,
  description: `Everything about ${title.toLowerCase()}.`,
  lessons: lessons ?? [lesson(`${title}: the basics`), lesson(`${title} in practice`)],
});

export const tree = (projects?: QualityProject[], language = 'en'): QualityTree => ({
  language,
  projects: projects ?? [project('Hive anatomy'), project('Seasonal care')],
});
