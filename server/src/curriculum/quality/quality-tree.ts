import type { QualityProblem } from '../../../../contracts/api';

/** What the gate reads of a course: its language and its tree (a CourseDetail's projects fit it). */
export interface QualityTree {
  language: string;
  projects: {
    id: string;
    title: string;
    description: string;
    lessons: {
      id: string;
      title: string;
      summary: string;
      content: string;
      tasks: { id: string; title: string; instructions: string }[];
    }[];
  }[];
}

export type QualityProject = QualityTree['projects'][number];
export type QualityLesson = QualityProject['lessons'][number];
export type QualityTask = QualityLesson['tasks'][number];

export interface QualitySettings {
  /** 0–1: sibling titles at least this similar (after normalization) are near-duplicates (QUALITY_TITLE_SIMILARITY). */
  title_similarity: number;
  /** The approved outline's project count, when the caller knows it. */
  expected_projects?: number;
}

export type ItemKind = NonNullable<QualityProblem['item_kind']>;

/**
 * Projects come from the outline the admin approved (or uploaded); lessons and tasks were written by the model
 * unattended. The gate holds what the model wrote: a finding about a project is a warning (docs/generation.md).
 */
export const severityFor = (kind: ItemKind): QualityProblem['severity'] =>
  kind === 'project' || kind === 'course' ? 'warning' : 'error';

/** Every item with its kind, its text fields and its id, in course order. */
export function* itemsOf(
  tree: QualityTree,
): Generator<{ kind: ItemKind; id: string; title: string; texts: string[]; markdown: string[] }> {
  for (const p of tree.projects) {
    yield { kind: 'project', id: p.id, title: p.title, texts: [p.description], markdown: [] };
    for (const l of p.lessons) {
      yield { kind: 'lesson', id: l.id, title: l.title, texts: [l.summary], markdown: [l.content] };
      for (const t of l.tasks) {
        yield { kind: 'task', id: t.id, title: t.title, texts: [], markdown: [t.instructions] };
      }
    }
  }
}

export const problem = (
  check: QualityProblem['check'],
  kind: ItemKind,
  item: { id: string; title: string } | null,
  message: string,
  severity: QualityProblem['severity'] = severityFor(kind),
): QualityProblem => ({
  check,
  severity,
  item_kind: kind,
  ...(item ? { item_id: item.id, item_title: item.title } : {}),
  message,
});
