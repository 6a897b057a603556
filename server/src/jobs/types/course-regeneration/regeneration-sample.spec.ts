import { loadConfig } from '../../../config/app-config';
import { LessonGenerator, type LessonsRequest } from '../../../generation/generators/lesson.generator';
import { TaskGenerator } from '../../../generation/generators/task.generator';
import { SampleLlmProvider } from '../../../generation/providers/sample/sample.provider';
import { PriceTable } from '../../../pricing/price-table';

/** A regeneration's requests, as the course_regeneration steps build them (docs/regeneration.md). */
const lessonsRequest: LessonsRequest = {
  course: {
    title: 'Wheel-thrown Pottery',
    description: 'Throw, trim and glaze your first pots.',
    topic: 'pottery',
    audience: 'beginners',
    level: 'beginner',
    language: 'en',
  },
  project: { title: 'Centering Clay', description: 'Center clay on the wheel.', objectives: ['Center 1 kg'] },
  sibling_projects: ['Wedging', 'Centering Clay', 'Trimming'],
  project_index: 1,
  existing_lessons: [],
  lesson_count: 2,
  instructions: 'More hands-on, fewer definitions.',
};

describe('the offline sample provider with a regeneration’s requests', () => {
  const llm = new SampleLlmProvider(loadConfig({ SAMPLE_LATENCY_MS: '0' }));
  const prices = new PriceTable(loadConfig({}));

  it('writes lessons and tasks when the request carries instructions and a seed', async () => {
    const lessons = await new LessonGenerator(llm, prices).generate({ ...lessonsRequest, seed: 7 });
    expect(lessons.items).toHaveLength(2);
    expect(lessons.prompt_id).toBe('lessons@3');
    const tasks = await new TaskGenerator(llm, prices).generate({
      course: lessonsRequest.course,
      project: lessonsRequest.project,
      lesson: { title: lessons.items[0].title, summary: lessons.items[0].summary },
      sibling_lessons: [lessons.items[1].title],
      existing_tasks: [],
      instructions: lessonsRequest.instructions,
      seed: 7,
    });
    expect(tasks.items).toHaveLength(3);
    expect(tasks.prompt_id).toBe('tasks@3');
  });

  it('writes something else for another job (another seed), so a regeneration is not a copy', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map((seed) => new LessonGenerator(llm, prices).generate({ ...lessonsRequest, seed })),
    );
    expect(a.items.map((l) => l.content)).not.toEqual(b.items.map((l) => l.content));
  });
});
