import type { QualityProblem } from '../../../../contracts/api';
import { problem, type QualityTree } from './quality-tree';

/**
 * The tree matches the approved outline: as many projects as it had (when known), every project with at least one
 * lesson, every lesson with at least one task.
 */
export function checkCounts(tree: QualityTree, expectedProjects?: number): QualityProblem[] {
  const problems: QualityProblem[] = [];
  const n = tree.projects.length;
  if (n === 0) {
    problems.push(problem('counts', 'course', null, 'The course has no projects', 'error'));
  } else if (expectedProjects !== undefined && n !== expectedProjects) {
    problems.push(
      problem(
        'counts',
        'course',
        null,
        `The course has ${n} projects; its approved outline had ${expectedProjects}`,
        'error',
      ),
    );
  }
  for (const p of tree.projects) {
    if (p.lessons.length === 0) {
      problems.push(problem('counts', 'project', p, 'The project has no lessons', 'error'));
    }
    for (const l of p.lessons) {
      if (l.tasks.length === 0) problems.push(problem('counts', 'lesson', l, 'The lesson has no tasks'));
    }
  }
  return problems;
}
