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
    expect(lessonsPrompt.id).toBe('lessons@2');
    expect(tasksPrompt.id).toBe('tasks@2');
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
    expect(text).toContain('Project 1 of 3: Keeping a Starter Alive');
    expect(text).toContain('- Read the signs of a hungry starter');
    expect(text).toContain(
      'in order (stay within this project; the others cover the rest):\n- Keeping a Starter Alive (this project)\n- The First Loaf\n- Shaping and Scoring',
    );
    expect(text).toContain('- What a Starter Is');
    expect(text).toContain('Write exactly 4 lesson(s)');
  });

  it('tasks: the course, the project, the lesson, the sibling lessons, existing tasks and the count', () => {
    const text = tasksPrompt.render(tasksCtx);
    expect(text).toContain('Topic: Sourdough bread baking');
    expect(text).toContain('Project: The First Loaf');
    expect(text).toContain('Lesson: Autolyse and Mixing');
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
    expect(text).toContain('Project: Keeping a Starter Alive');
    expect(text).toContain(
      'The other projects of the course (they cover the rest; stay within this project):\n- The First Loaf\n- Shaping and Scoring',
    );
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
        '(follow them where they do not contradict the requirements below):\n"""\nMore hands-on, fewer definitions.\n"""\n\nWrite exactly 4 lesson(s)',
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

  it('says "(none)" when there is nothing to list', () => {
    expect(lessonsPrompt.render({ ...lessonsCtx, existing_lessons: [] })).toMatch(
      /do not repeat them\):\n\(none\)/,
    );
  });
});
