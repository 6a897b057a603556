import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { LessonGenerator } from '../../generation/generators/lesson.generator';
import { OutlineGenerator } from '../../generation/generators/outline.generator';
import { TaskGenerator } from '../../generation/generators/task.generator';
import type { CourseContext } from '../../generation/prompts/prompt-context';
import { SampleLlmProvider } from '../../generation/providers/sample/sample.provider';
import { PriceTable } from '../../pricing/price-table';
import { MAX_REPORTED_PROBLEMS, runQualityGate } from './quality-gate';
import { lesson, project, task, tree } from './quality-tree.fixture';
import type { QualityTree } from './quality-tree';

const SETTINGS = { title_similarity: 0.9 };
const NOW = new Date('2030-01-02T03:04:05Z');

/** A whole course written by the offline sample generator, as a job writes it (the quick start auto-publishes it). */
async function sampleCourse(topic: string, language = 'en'): Promise<QualityTree> {
  const config = loadConfig({ SAMPLE_LATENCY_MS: '0' });
  const llm = new SampleLlmProvider(config);
  const prices = new PriceTable(config);
  const outline = (
    await new OutlineGenerator(llm, prices).propose({ topic, audience: 'curious adults', level: 'beginner' })
  ).items[0];
  const course: CourseContext = {
    title: outline.title,
    description: outline.description,
    topic,
    audience: 'curious adults',
    level: 'beginner',
    language,
  };
  let n = 0;
  const id = (): string => `id-${++n}`;
  const projects: QualityTree['projects'] = [];
  for (const [index, p] of outline.projects.entries()) {
    const lessons = (
      await new LessonGenerator(llm, prices).generate({
        course,
        project: p,
        sibling_projects: outline.projects.filter((o) => o !== p).map((o) => o.title),
        project_index: index,
      })
    ).items;
    const withTasks = [];
    for (const l of lessons) {
      const tasks = (
        await new TaskGenerator(llm, prices).generate({
          course,
          project: p,
          lesson: l,
          sibling_lessons: lessons.map((s) => s.title),
        })
      ).items;
      withTasks.push({ id: id(), ...l, tasks: tasks.map((t) => ({ id: id(), ...t })) });
    }
    projects.push({ id: id(), title: p.title, description: p.description, lessons: withTasks });
  }
  return { language, projects };
}

describe('runQualityGate', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('passes a clean course, with the time it checked', () => {
    expect(runQualityGate(tree(), SETTINGS, NOW)).toEqual({
      passed: true,
      checked_at: '2030-01-02T03:04:05.000Z',
      problems: [],
      problems_total: 0,
    });
  });

  it('fails a course with near-duplicate lesson titles, reporting every check’s problems in check order', () => {
    const course = tree([
      project('Basics', [lesson('Intro to Bees'), lesson('Intro to bees!', [task('Lesson 3')])]),
    ]);
    const report = runQualityGate(course, SETTINGS, NOW);
    expect(report.passed).toBe(false);
    expect(report.problems.map((p) => p.check)).toEqual(['duplicate_titles', 'placeholders']);
  });

  it('passes with warnings only (a project title of the approved outline)', () => {
    const report = runQualityGate(tree([project('Project 1'), project('Swarms')]), SETTINGS, NOW);
    expect(report).toMatchObject({ passed: true, problems_total: 1 });
    expect(report.problems[0]).toMatchObject({ severity: 'warning', item_kind: 'project' });
  });

  it('keeps at most 200 problems, and their total', () => {
    const many = Array.from({ length: 300 }, (_, i) => project(`Hive ${i} care`, []));
    const report = runQualityGate(tree(many), SETTINGS, NOW);
    expect(report.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(report.problems_total).toBe(300);
  });

  describe('on courses written by the offline sample generator (the quick start auto-publishes them)', () => {
    it.each([
      'Beekeeping',
      'Kubernetes for data engineers',
      'Sourdough bread baking',
      'Data analysis with Python and pandas',
      'Émigré literature: Nabokov & co.',
    ])('passes without a problem: %s', async (topic) => {
      const report = runQualityGate(await sampleCourse(topic), SETTINGS, NOW);
      expect(report.problems).toEqual([]);
      expect(report.passed).toBe(true);
    });
  });
});
