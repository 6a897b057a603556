import type { CourseContext, LessonsContext, OutlineContext, TasksContext } from './prompt-context';
import { lessonsPrompt } from './lessons.prompt';
import { outlinePrompt } from './outline.prompt';
import { languageName } from './prompt-template';
import { tasksPrompt } from './tasks.prompt';

const course: CourseContext = {
  title: 'Sourdough at Home',
  description: 'Bake reliable sourdough in a home kitchen.',
  topic: 'Sourdough bread baking',
  audience: 'home bakers',
  level: 'beginner',
  language: 'de',
};

const lessonsCtx: LessonsContext = {
  stage: 'lessons',
  course,
  project: {
    title: 'Keeping a Starter Alive',
    description: 'Feed and read a starter.',
    objectives: ['Feed a starter on a schedule', 'Read the signs of a hungry starter'],
  },
  sibling_projects: ['The First Loaf', 'Shaping and Scoring'],
  project_index: 0,
  existing_lessons: ['What a Starter Is'],
  lesson_count: 4,
};

const tasksCtx: TasksContext = {
  stage: 'tasks',
  course,
  project: { title: 'The First Loaf', description: 'Bake a first loaf.' },
  lesson: { title: 'Autolyse and Mixing', summary: 'Why flour and water rest before mixing.' },
  sibling_lessons: ['Bulk Fermentation', 'Baking in a Dutch Oven'],
  existing_tasks: ['Quick Check: Autolyse'],
  task_count: 2,
};

describe('prompt templates', () => {
  it('each has a versioned id and a system prompt', () => {
    expect(outlinePrompt.id).toBe('outline@1');
    expect(lessonsPrompt.id).toBe('lessons@3');
    expect(tasksPrompt.id).toBe('tasks@3');
    for (const p of [outlinePrompt, lessonsPrompt, tasksPrompt]) {
      expect(p.id).toMatch(/^(outline|lessons|tasks)@\d+$/);
      expect(p.system.length).toBeGreaterThan(100);
    }
  });

  it('outline: topic, audience, level, language and both counts', () => {
    const ctx: OutlineContext = {
      stage: 'outline',
      topic: 'Sourdough bread baking',
      audience: 'home bakers',
      level: 'beginner',
      language: 'de',
      project_count: 6,
      proposals: 2,
    };
    const text = outlinePrompt.render(ctx);
    expect(text).toContain('Topic: Sourdough bread baking');
    expect(text).toContain('Audience: home bakers');
    expect(text).toContain('Level: beginner');
    expect(text).toContain('Language: German');
    expect(text).toContain('Exactly 2 outline(s)');
    expect(text).toContain('exactly 6 project(s)');
    expect(text).toContain('Write every text field in German.');
    expect(outlinePrompt.render({ ...ctx, level: null, audience: '' })).toContain('Level: any level');
  });

  it('lessons: the course, the project with its objectives, the sibling projects, existing lessons and the count', () => {
    const text = lessonsPrompt.render(lessonsCtx);
    expect(text).toContain('Course: Sourdough at Home');
    expect(text).toContain('Course description: Bake reliable sourdough in a home kitchen.');
    expect(text).toContain('Audience: home bakers');
    expect(text).toContain('Level: beginner');
    expect(text).toContain('Language: German');
    expect(text).toContain('This project (project 1 of 3): Keeping a Starter Alive');
    expect(text).toContain('- Read the signs of a hungry starter');
    expect(text).toContain(
      'The projects of the course, in order:\n- Keeping a Starter Alive\n- The First Loaf\n- Shaping and Scoring',
    );
    expect(text).toContain('- What a Starter Is');
    expect(text).toContain('Write exactly 4 lesson(s)');
  });

  it('tasks: the course, the project, the lesson, the sibling lessons, existing tasks and the count', () => {
    const text = tasksPrompt.render(tasksCtx);
    expect(text).toContain('Topic: Sourdough bread baking');
    expect(text).toContain('Project: The First Loaf');
    expect(text).toContain('This lesson: Autolyse and Mixing');
    expect(text).toContain('Lesson summary: Why flour and water rest before mixing.');
    expect(text).toContain('- Bulk Fermentation');
    expect(text).toContain('- Baking in a Dutch Oven');
    expect(text).toContain('- Quick Check: Autolyse');
    expect(text).toContain('Write exactly 2 task(s)');
    expect(text).toContain('exercise, quiz, reflection, project');
    expect(text).toContain('Write every text field in German.');
  });

  it('without the project index: lists the other projects only', () => {
    const text = lessonsPrompt.render({ ...lessonsCtx, project_index: undefined });
    expect(text).toContain('This project: Keeping a Starter Alive');
    expect(text).toContain('The other projects of the course:\n- The First Loaf\n- Shaping and Scoring');
  });

  it('names the language of a tag, and keeps a name as written', () => {
    expect(languageName('de')).toBe('German');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageName('Klingon')).toBe('Klingon');
  });

  describe('with an editor’s instructions (a regeneration)', () => {
    it('carries them, fenced, before the requirements', () => {
      const lessons = lessonsPrompt.render({
        ...lessonsCtx,
        instructions: 'More hands-on, fewer definitions.',
      });
      expect(lessons).toContain(
        '(follow them where they do not contradict the requirements above):\n"""\nMore hands-on, fewer definitions.\n"""\n\nWrite exactly 4 lesson(s)',
      );
      const tasks = tasksPrompt.render({ ...tasksCtx, instructions: 'Only quizzes' });
      expect(tasks).toContain('"""\nOnly quizzes\n"""\n\nWrite exactly 2 task(s)');
    });

    it('cannot close the fence early', () => {
      const text = tasksPrompt.render({ ...tasksCtx, instructions: 'a """ b' });
      expect(text.match(/"""/g)).toHaveLength(2);
    });

    it('renders exactly as without them when they are absent or blank', () => {
      for (const instructions of [undefined, '', '   ']) {
        expect(lessonsPrompt.render({ ...lessonsCtx, instructions })).toBe(lessonsPrompt.render(lessonsCtx));
        expect(tasksPrompt.render({ ...tasksCtx, instructions })).toBe(tasksPrompt.render(tasksCtx));
      }
      expect(lessonsPrompt.render(lessonsCtx)).not.toContain('instructions for this version');
    });
  });

  describe('prompt caching (docs/costs.md, "Prompt order")', () => {
    const stepSpecific = (text: string, marker: string): { shared: string; rest: string } => {
      const at = text.indexOf(marker);
      expect(at).toBeGreaterThan(0);
      return { shared: text.slice(0, at), rest: text.slice(at) };
    };

    it('two lessons steps of one course share everything up to the project’s own part', () => {
      const projects = ['Keeping a Starter Alive', 'The First Loaf', 'Shaping and Scoring'];
      const step = (index: number, existing: string[]): string =>
        lessonsPrompt.render({
          ...lessonsCtx,
          project: { title: projects[index], description: `About ${projects[index]}`, objectives: ['Do it'] },
          sibling_projects: projects.filter((_, i) => i !== index),
          project_index: index,
          existing_lessons: existing,
          lesson_count: index + 2,
        });
      const first = stepSpecific(step(0, ['What a Starter Is']), 'This project');
      const second = stepSpecific(step(2, []), 'This project');
      expect(second.shared).toBe(first.shared);
      expect(first.shared).toContain('Course: Sourdough at Home');
      expect(first.shared).toContain('- Shaping and Scoring');
      expect(first.shared).toContain('Write every text field in German.');
      expect(first.rest).not.toBe(second.rest);
      expect(second.rest).toContain('Scoring');
    });

    it('two tasks steps of one project share everything up to the lesson’s own part', () => {
      const lessons = ['Autolyse and Mixing', 'Bulk Fermentation', 'Baking in a Dutch Oven'];
      const step = (index: number): string =>
        tasksPrompt.render({
          ...tasksCtx,
          lesson: { title: lessons[index], summary: `About ${lessons[index]}` },
          sibling_lessons: lessons.filter((_, i) => i !== index),
          lesson_index: index,
          existing_tasks: index === 0 ? ['Quick Check: Autolyse'] : [],
        });
      const first = stepSpecific(step(0), 'This lesson');
      const third = stepSpecific(step(2), 'This lesson');
      expect(third.shared).toBe(first.shared);
      expect(first.shared).toContain('The lessons of this project, in order');
      expect(first.shared).toContain('- Baking in a Dutch Oven');
      expect(first.rest).toContain('This lesson (lesson 1 of 3): Autolyse and Mixing');
      expect(third.rest).toContain('This lesson (lesson 3 of 3): Baking in a Dutch Oven');
    });

    it('tasks steps of different projects still share the course block and the requirements', () => {
      const a = tasksPrompt.render(tasksCtx);
      const b = tasksPrompt.render({
        ...tasksCtx,
        project: { title: 'Other', description: 'Other project' },
      });
      const shared = stepSpecific(a, 'Project: ').shared;
      expect(b.startsWith(shared)).toBe(true);
      expect(shared).toContain('- kind: one of');
    });
  });

  it('says "(none)" when there is nothing to list', () => {
    expect(lessonsPrompt.render({ ...lessonsCtx, existing_lessons: [] })).toMatch(
      /do not repeat them\):\n\(none\)/,
    );
  });
});
