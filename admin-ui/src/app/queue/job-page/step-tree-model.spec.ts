import { aStep, aTasksStep } from '../../testing/builders';
import { allDone, buildStepTree, stepDuration, stepTokens } from './step-tree-model';

describe('buildStepTree', () => {
  const lessons = (project: string, position: number, title = `P${position}`) =>
    aStep({ id: `l-${project}`, item_id: project, item_title: title, project_position: position });
  const tasks = (lesson: string, project: string, projectPosition: number, lessonPosition: number) =>
    aTasksStep({
      id: `t-${lesson}`,
      item_id: lesson,
      item_title: `Lesson ${lesson}`,
      parent_item_id: project,
      project_position: projectPosition,
      lesson_position: lessonPosition,
    });

  describe('when the steps come in any order', () => {
    it('nests each tasks step under its project, in course order', () => {
      const tree = buildStepTree([
        tasks('b2', 'p-b', 1, 1),
        lessons('p-b', 1, 'Second'),
        tasks('a1', 'p-a', 0, 0),
        tasks('b1', 'p-b', 1, 0),
        lessons('p-a', 0, 'First'),
      ]);
      expect(tree.projects.map((p) => [p.title, p.lessonsStep?.id, p.lessons.map((l) => l.id)])).toEqual([
        ['First', 'l-p-a', ['a1']],
        ['Second', 'l-p-b', ['b1', 'b2']],
      ]);
      expect(tree.projects[1].lessons[0].tasksStep.id).toBe('t-b1');
      expect(tree.other).toEqual([]);
    });
  });

  describe('when a retry did not rerun a project’s lessons step', () => {
    it('shows the project by position with its tasks steps only', () => {
      const tree = buildStepTree([tasks('c1', 'p-c', 2, 0)]);
      expect(tree.projects).toHaveLength(1);
      expect(tree.projects[0]).toMatchObject({ id: 'p-c', position: 2, title: null, lessonsStep: null });
      expect(tree.projects[0].lessons.map((l) => l.title)).toEqual(['Lesson c1']);
    });
  });

  describe('when a step is of a kind the tree does not know', () => {
    it('lists it apart', () => {
      const tree = buildStepTree([aStep({ id: 'x', kind: 'translate', item_id: 'thing' })]);
      expect(tree.projects).toEqual([]);
      expect(tree.other.map((s) => s.id)).toEqual(['x']);
    });
  });
});

describe('step formatting', () => {
  it('is green only when every step succeeded or was skipped', () => {
    expect(allDone([aStep(), aTasksStep({ status: 'skipped' })])).toBe(true);
    expect(allDone([aStep(), aTasksStep({ status: 'running' })])).toBe(false);
    expect(allDone([])).toBe(false);
  });

  it('formats durations and tokens', () => {
    expect(stepDuration(850)).toBe('850ms');
    expect(stepDuration(4200)).toBe('4.2s');
    expect(stepDuration(65_000)).toBe('1m 05s');
    expect(stepDuration(null)).toBe('--');
    expect(stepTokens({ prompt_tokens: 300, completion_tokens: 900 })).toBe('1,200');
    expect(stepTokens({ prompt_tokens: null, completion_tokens: null })).toBe('--');
  });
});
