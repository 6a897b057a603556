import { checkCounts } from './counts.check';
import { lesson, project, tree } from './quality-tree.fixture';

describe('checkCounts', () => {
  it('finds nothing in a complete course', () => {
    expect(checkCounts(tree())).toEqual([]);
  });

  it('is an error when the course has no projects', () => {
    expect(checkCounts(tree([]))).toEqual([
      expect.objectContaining({ check: 'counts', severity: 'error', message: 'The course has no projects' }),
    ]);
  });

  it('is an error when the project count differs from the approved outline’s', () => {
    expect(checkCounts(tree(), 3)).toEqual([
      expect.objectContaining({
        severity: 'error',
        item_kind: 'course',
        message: 'The course has 2 projects; its approved outline had 3',
      }),
    ]);
    expect(checkCounts(tree(), 2)).toEqual([]);
  });

  it('names a project without lessons and a lesson without tasks, as errors', () => {
    const empty = project('Honey harvest', []);
    const taskless = lesson('Smokers', []);
    const problems = checkCounts(tree([empty, project('Swarms', [taskless])]));
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', item_id: empty.id, item_title: 'Honey harvest' }),
      expect.objectContaining({
        severity: 'error',
        item_id: taskless.id,
        message: 'The lesson has no tasks',
      }),
    ]);
  });
});
