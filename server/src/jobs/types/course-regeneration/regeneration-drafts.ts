import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { LessonInput, TaskInput } from '../../../curriculum/curriculum-content.service';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

export type DraftKind = 'lesson' | 'task';

/** A staged lesson: its id (the id the lesson keeps once swapped in), place, content and who wrote it. */
export interface StagedLesson extends LessonInput {
  id: string;
  position: number;
  model: string | null;
  prompt_id: string | null;
}

export interface StagedTask extends TaskInput {
  parent_id: string;
  position: number;
  model: string | null;
  prompt_id: string | null;
}

interface DraftRow {
  id: string;
  parent_id: string;
  position: number;
  content: Record<string, unknown>;
  model: string | null;
  prompt_id: string | null;
}

const COLUMNS = `id, parent_id, position, content, model, prompt_id`;

const toLesson = (r: DraftRow): StagedLesson => ({
  ...(r.content as unknown as LessonInput),
  id: r.id,
  position: r.position,
  model: r.model,
  prompt_id: r.prompt_id,
});

const toTask = (r: DraftRow): StagedTask => ({
  ...(r.content as unknown as TaskInput),
  parent_id: r.parent_id,
  position: r.position,
  model: r.model,
  prompt_id: r.prompt_id,
});

/**
 * All SQL of `regeneration_drafts`, the `course_regeneration` type's staging table (docs/regeneration.md): what its
 * steps wrote, waiting for the job's completion to replace the course's part in one transaction. Every read is scoped
 * to one job. Lessons are staged under their project, tasks under their (staged or real) lesson.
 */
@Injectable()
export class RegenerationDrafts {
  constructor(private readonly db: DataSource) {}

  /**
   * Stages one step's items under `parentId`, in order, inside the step's transaction. Lessons get their final id
   * here. False when the parent already has its items for this job (a repeated step: nothing is written).
   */
  async stage(
    m: EntityManager,
    jobId: string,
    kind: DraftKind,
    parentId: string,
    items: (LessonInput | TaskInput)[],
    by: { model: string; prompt_id: string },
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO regeneration_drafts (id, job_id, kind, parent_id, position, content, model, prompt_id)
       SELECT (x.item->>'id')::uuid, $1, $2, $3, x.ord - 1, x.item->'content', $5, $6
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(item, ord)
       ORDER BY x.ord
       ON CONFLICT (job_id, kind, parent_id, position) DO NOTHING RETURNING 1`,
      [
        jobId,
        kind,
        parentId,
        JSON.stringify(items.map((content) => ({ id: randomUUID(), content }))),
        by.model,
        by.prompt_id,
      ],
    );
    return rows.length > 0;
  }

  /** True when `parentId` has staged items of `kind` in this job (its step is done). */
  async has(jobId: string, kind: DraftKind, parentId: string, q: Queryable = this.db): Promise<boolean> {
    const rows: unknown[] = await q.query(
      `SELECT 1 FROM regeneration_drafts WHERE job_id = $1 AND kind = $2 AND parent_id = $3 LIMIT 1`,
      [jobId, kind, parentId],
    );
    return rows.length > 0;
  }

  /** The project's staged lessons, in order. */
  async lessons(jobId: string, projectId: string, q: Queryable = this.db): Promise<StagedLesson[]> {
    const rows: DraftRow[] = await q.query(
      `SELECT ${COLUMNS} FROM regeneration_drafts WHERE job_id = $1 AND kind = 'lesson' AND parent_id = $2
       ORDER BY position`,
      [jobId, projectId],
    );
    return rows.map(toLesson);
  }

  /** The staged lessons of the project that have no staged tasks yet, in order. */
  async lessonsWithoutTasks(jobId: string, projectId: string): Promise<StagedLesson[]> {
    const rows: DraftRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM regeneration_drafts d
       WHERE d.job_id = $1 AND d.kind = 'lesson' AND d.parent_id = $2
         AND NOT EXISTS (SELECT 1 FROM regeneration_drafts t
                         WHERE t.job_id = d.job_id AND t.kind = 'task' AND t.parent_id = d.id)
       ORDER BY d.position`,
      [jobId, projectId],
    );
    return rows.map(toLesson);
  }

  /** The staged tasks of the lessons `lessonIds`, in order. */
  async tasks(jobId: string, lessonIds: string[], q: Queryable = this.db): Promise<StagedTask[]> {
    const rows: DraftRow[] = await q.query(
      `SELECT ${COLUMNS} FROM regeneration_drafts WHERE job_id = $1 AND kind = 'task' AND parent_id = ANY($2)
       ORDER BY parent_id, position`,
      [jobId, lessonIds],
    );
    return rows.map(toTask);
  }

  /** Everything the job staged goes (it was swapped in, or the job was cancelled). */
  async deleteForJob(m: EntityManager, jobId: string): Promise<void> {
    await m.query(`DELETE FROM regeneration_drafts WHERE job_id = $1`, [jobId]);
  }
}
