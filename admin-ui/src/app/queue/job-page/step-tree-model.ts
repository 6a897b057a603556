import type { StepStatus, StepView } from '@contracts/api';

/** A lesson of the tree: its tasks step (one per lesson and run). */
export interface LessonNode {
  readonly id: string;
  readonly title: string;
  readonly position: number;
  readonly tasksStep: StepView;
}

/** A project of the tree: its lessons step (absent when this run did not write its lessons), then its lessons. */
export interface ProjectNode {
  readonly id: string;
  /** From its lessons step; null when this run has none (the tasks steps do not carry the project's title). */
  readonly title: string | null;
  readonly position: number;
  readonly lessonsStep: StepView | null;
  readonly lessons: readonly LessonNode[];
}

export interface StepTree {
  readonly projects: readonly ProjectNode[];
  /** Steps of kinds the tree does not place (another job type's): listed flat, in the API's order. */
  readonly other: readonly StepView[];
}

const byPosition = (a: { position: number }, b: { position: number }): number => a.position - b.position;

/**
 * Steps → project → lessons step → lessons → tasks step, in course order (project position, then lesson
 * position). A lessons step's item is its project; a tasks step's item is its lesson and its parent the
 * project. Only what the steps list has is shown: lessons written in an earlier run have no tasks step here.
 */
export function buildStepTree(steps: readonly StepView[]): StepTree {
  const projects = new Map<
    string,
    {
      id: string;
      title: string | null;
      position: number;
      lessonsStep: StepView | null;
      lessons: LessonNode[];
    }
  >();
  const other: StepView[] = [];
  const project = (id: string, position: number) => {
    let node = projects.get(id);
    if (!node) {
      node = { id, title: null, position, lessonsStep: null, lessons: [] };
      projects.set(id, node);
    }
    return node;
  };
  for (const step of steps) {
    if (step.kind === 'lessons') {
      const node = project(step.item_id, step.project_position);
      node.lessonsStep = step;
      node.title = step.item_title;
    } else if (step.kind === 'tasks' && step.parent_item_id) {
      project(step.parent_item_id, step.project_position).lessons.push({
        id: step.item_id,
        title: step.item_title,
        position: step.lesson_position ?? 0,
        tasksStep: step,
      });
    } else {
      other.push(step);
    }
  }
  return {
    projects: [...projects.values()].sort(byPosition).map((node) => ({
      id: node.id,
      title: node.title,
      position: node.position,
      lessonsStep: node.lessonsStep,
      lessons: [...node.lessons].sort(byPosition),
    })),
    other,
  };
}

/** Whether every step is done (succeeded or skipped): the tree is "green". */
export function allDone(steps: readonly StepView[]): boolean {
  const done: readonly StepStatus[] = ['succeeded', 'skipped'];
  return steps.length > 0 && steps.every((step) => done.includes(step.status));
}

/** "4.2s", "850ms", "1m 05s"; "--" when not measured. */
export function stepDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '--';
  }
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1)}s`;
  }
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** Prompt + completion tokens, "--" when the step has not reported any. */
export function stepTokens(step: Pick<StepView, 'prompt_tokens' | 'completion_tokens'>): string {
  if (step.prompt_tokens === null && step.completion_tokens === null) {
    return '--';
  }
  return ((step.prompt_tokens ?? 0) + (step.completion_tokens ?? 0)).toLocaleString('en-US');
}
