import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../config/app-config';
import { LessonGenerator } from '../../generators/lesson.generator';
import { OutlineGenerator, type OutlineRequest } from '../../generators/outline.generator';
import { TaskGenerator } from '../../generators/task.generator';
import { LlmError } from '../../llm-error';
import type { CourseContext } from '../../prompts/prompt-context';
import { outlineProposalsSchema } from '../../schemas/outline.schema';
import { lessonsForProjectSchema } from '../../schemas/lessons.schema';
import { tasksForLessonSchema } from '../../schemas/tasks.schema';
import { PriceTable } from '../../../pricing/price-table';
import { SampleLlmProvider } from './sample.provider';

const config = (env: Record<string, string> = {}) => loadConfig({ SAMPLE_LATENCY_MS: '0', ...env });
const provider = (env: Record<string, string> = {}, random?: () => number) =>
  new SampleLlmProvider(config(env), random);
const samplePrices = new PriceTable(config());

const TOPICS = [
  'Kubernetes for data engineers',
  'Sourdough bread baking',
  'Conversational Spanish for travellers',
  'Watercolour landscapes',
  'Pricing strategy for small SaaS companies',
  'Introduction to quantum mechanics',
  'Data analysis with Python and pandas',
  'Beekeeping',
  'A very long topic that goes on and on about the history of maritime navigation instruments in the Mediterranean and beyond, including astrolabes',
  'Émigré literature: Nabokov & co.',
];

async function wholeCourse(
  topic: string,
  env: Record<string, string> = {},
  req: Partial<OutlineRequest> = {},
) {
  const llm = provider(env);
  const outlines = await new OutlineGenerator(llm, samplePrices).propose({
    topic,
    audience: 'curious adults',
    level: 'beginner',
    ...req,
  });
  const outline = outlines.items[0];
  const course: CourseContext = {
    title: outline.title,
    description: outline.description,
    topic,
    audience: 'curious adults',
    level: 'beginner',
    language: 'en',
  };
  const lessons = [];
  for (const [index, project] of outline.projects.entries()) {
    lessons.push(
      await new LessonGenerator(llm, samplePrices).generate({
        course,
        project,
        sibling_projects: outline.projects.filter((p) => p !== project).map((p) => p.title),
        project_index: index,
      }),
    );
  }
  const firstLessons = lessons[0].items;
  const tasks = await new TaskGenerator(llm, samplePrices).generate({
    course,
    project: outline.projects[0],
    lesson: firstLessons[0],
    sibling_lessons: firstLessons.map((l) => l.title),
  });
  return { outlines, lessons, tasks, course };
}

describe('SampleLlmProvider', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('says plainly that it is the sample generator', () => {
    expect(provider().info).toEqual({ name: 'sample', model: 'sample-v1', sample: true });
  });

  it('is deterministic for the same input (across instances)', async () => {
    const a = await wholeCourse('Sourdough bread baking');
    const b = await wholeCourse('Sourdough bread baking');
    expect(b.outlines.items).toEqual(a.outlines.items);
    expect(b.lessons.map((l) => l.items)).toEqual(a.lessons.map((l) => l.items));
    expect(b.tasks.items).toEqual(a.tasks.items);
  });

  it('differs for different topics, and for another seed', async () => {
    const a = await wholeCourse('Kubernetes for data engineers');
    const b = await wholeCourse('Watercolour landscapes');
    expect(b.outlines.items[0].title).not.toEqual(a.outlines.items[0].title);
    expect(b.lessons[0].items[0].content).not.toEqual(a.lessons[0].items[0].content);
    expect(JSON.stringify(b.outlines.items)).not.toContain('Kubernetes');
    expect(JSON.stringify(a.lessons.map((l) => l.items))).toContain('Kubernetes');
    expect(JSON.stringify(b.lessons.map((l) => l.items))).toContain('Watercolour');

    const seeded = await wholeCourse('Kubernetes for data engineers', {}, { seed: 7 });
    expect(seeded.outlines.items).not.toEqual(a.outlines.items);
  });

  it('proposals of one topic differ from each other', async () => {
    const { outlines } = await wholeCourse('Beekeeping');
    expect(outlines.items).toHaveLength(3);
    expect(new Set(outlines.items.map((o) => o.title)).size).toBe(3);
    expect(new Set(outlines.items.map((o) => o.projects.map((p) => p.title).join('|'))).size).toBe(3);
  });

  it.each(TOPICS)('is always schema-valid, with believable content: %s', async (topic) => {
    const { outlines, lessons, tasks } = await wholeCourse(topic);
    expect(outlineProposalsSchema(3, 5).safeParse({ outlines: outlines.items }).success).toBe(true);
    for (const l of lessons)
      expect(lessonsForProjectSchema(3).safeParse({ lessons: l.items }).success).toBe(true);
    expect(tasksForLessonSchema(3).safeParse({ tasks: tasks.items }).success).toBe(true);

    const everything = JSON.stringify([outlines.items, lessons.map((l) => l.items), tasks.items]);
    expect(everything).not.toMatch(/lorem|ipsum|undefined|\{[A-Za-z_0-9]+\}/i);
    expect(everything).not.toMatch(/\b(Lesson|Project|Task) \d+ of (Project|Lesson) \d+/);

    const allLessonTitles = lessons.flatMap((l) => l.items.map((i) => i.title.toLowerCase()));
    expect(new Set(allLessonTitles).size).toBe(allLessonTitles.length); // no repeats across the whole course

    for (const lesson of lessons.flatMap((l) => l.items)) {
      const words = lesson.content.split(/\s+/).length;
      expect(words).toBeGreaterThanOrEqual(250);
      expect(words).toBeLessThanOrEqual(600);
      expect(lesson.content).toMatch(/^## /m);
      expect(lesson.content).toMatch(/^### /m);
      expect(lesson.content).toMatch(/^- /m);
      expect(lesson.content).toMatch(/^1\. /m);
    }
    expect(new Set(tasks.items.map((t) => t.kind)).size).toBeGreaterThan(1);
  });

  it('respects every count within the bounds', async () => {
    const llm = provider();
    for (const proposals of [1, 5]) {
      for (const project_count of [1, 2, 7, 12]) {
        const out = await new OutlineGenerator(llm, samplePrices).propose({
          topic: 'Beekeeping',
          proposals,
          project_count,
        });
        expect(out.items).toHaveLength(proposals);
        for (const o of out.items) {
          expect(o.projects).toHaveLength(project_count);
          expect(new Set(o.projects.map((p) => p.title)).size).toBe(project_count);
        }
      }
    }
    const { course, outlines } = await wholeCourse('Beekeeping');
    const project = outlines.items[0].projects[1];
    for (let lesson_count = 1; lesson_count <= 8; lesson_count++) {
      const out = await new LessonGenerator(llm, samplePrices).generate({
        course,
        project,
        sibling_projects: outlines.items[0].projects.map((p) => p.title),
        lesson_count,
      });
      expect(out.items).toHaveLength(lesson_count);
    }
    for (let task_count = 1; task_count <= 8; task_count++) {
      const out = await new TaskGenerator(llm, samplePrices).generate({
        course,
        project,
        lesson: { title: 'Reading the Frames', summary: 'What a frame tells you about the colony.' },
        sibling_lessons: ['Smoke and Calm', 'Seasonal Inspections'],
        task_count,
      });
      expect(out.items).toHaveLength(task_count);
      expect(new Set(out.items.map((t) => t.title)).size).toBe(task_count);
    }
  });

  it('does not repeat titles the parent already has', async () => {
    const { course, outlines, lessons } = await wholeCourse('Beekeeping');
    const existing = lessons[2].items.map((l) => l.title);
    const again = await new LessonGenerator(provider(), samplePrices).generate({
      course,
      project: outlines.items[0].projects[2],
      sibling_projects: outlines.items[0].projects.map((p) => p.title),
      existing_lessons: existing,
      lesson_count: 3,
    });
    for (const lesson of again.items) expect(existing).not.toContain(lesson.title);
  });

  it('reports realistic token counts (about 4 characters per token) and the model', async () => {
    const { lessons } = await wholeCourse('Beekeeping');
    const { usage, model } = lessons[0];
    expect(model).toBe('sample-v1');
    const completionChars = JSON.stringify({ lessons: lessons[0].items }).length;
    expect(usage.completion_tokens).toBeGreaterThan(completionChars / 5);
    expect(usage.completion_tokens).toBeLessThan(completionChars / 3);
    expect(usage.prompt_tokens).toBeGreaterThan(150);
  });

  describe('latency and failures', () => {
    const lessonsReq = async () => {
      const { course, outlines } = await wholeCourse('Beekeeping');
      return {
        course,
        project: outlines.items[0].projects[0],
        sibling_projects: [outlines.items[0].projects[0].title],
      };
    };

    it('takes SAMPLE_LATENCY_MS', async () => {
      const req = await lessonsReq();
      const started = performance.now();
      const out = await new LessonGenerator(provider({ SAMPLE_LATENCY_MS: '150' }), samplePrices).generate(
        req,
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(out.duration_ms).toBeGreaterThanOrEqual(140);
    });

    it('stops at once when the caller aborts → aborted', async () => {
      const req = await lessonsReq();
      const controller = new AbortController();
      const started = performance.now();
      const call = new LessonGenerator(provider({ SAMPLE_LATENCY_MS: '5000' }), samplePrices).generate(
        req,
        controller.signal,
      );
      setTimeout(() => controller.abort(), 30);
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).kind).toBe('aborted');
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('a timeout shorter than the latency → transient', async () => {
      const llm = provider({ SAMPLE_LATENCY_MS: '5000', LLM_TIMEOUT_MS: '100' });
      const error = await new LessonGenerator(llm, samplePrices)
        .generate(await lessonsReq())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'transient' });
      expect((error as Error).message).toMatch(/^Sample generator: no answer within 100 ms/);
    });

    it('SAMPLE_FAILURE_RATE fails calls as transient, at random (so a retry can succeed)', async () => {
      const req = await lessonsReq();
      const always = provider({ SAMPLE_FAILURE_RATE: '0.5' }, () => 0.1);
      const error = await new LessonGenerator(always, samplePrices).generate(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmError);
      expect(error).toMatchObject({ kind: 'transient', provider: 'sample' });
      expect((error as Error).message).toBe('Sample generator: simulated transient failure');

      const never = provider({ SAMPLE_FAILURE_RATE: '0.5' }, () => 0.9);
      await expect(new LessonGenerator(never, samplePrices).generate(req)).resolves.toMatchObject({
        model: 'sample-v1',
      });

      const real = new LessonGenerator(provider({ SAMPLE_FAILURE_RATE: '0.5' }), samplePrices);
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, () =>
          real.generate(req).then(
            () => 'ok',
            (e: LlmError) => e.kind,
          ),
        ),
      );
      expect(outcomes).toContain('ok');
      expect(outcomes).toContain('transient');
    });

    it('needs the request context (a prompt alone is not enough offline) → permanent', async () => {
      const error = await provider()
        .generateObject({
          stage: 'lessons',
          schema: lessonsForProjectSchema(1),
          schemaName: 'x',
          system: 's',
          prompt: 'p',
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'permanent', provider: 'sample' });
    });
  });
});
