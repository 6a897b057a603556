import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { GenerationStage, TaskKind } from '../../../contracts/api';

/** One model call's cost, recorded with the items it wrote. */
export interface UsageRecord {
  course_id: string;
  job_id?: string | null;
  stage: GenerationStage;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  duration_ms: number;
}

export interface LessonInput {
  title: string;
  summary: string;
  content: string;
  estimated_minutes: number | null;
}

export interface TaskInput {
  title: string;
  instructions: string;
  kind: TaskKind;
  estimated_minutes: number | null;
}

export interface WriteResult {
  /** False when the parent already had items (nothing was written) or does not exist. */
  written: boolean;
  /** Ids of the parent's items, in position order (the new ones, or the ones already there). */
  ids: string[];
}

export interface WriteOptions {
  /** Write inside the caller's transaction (the queue's step checks its job row in the same one). */
  manager?: EntityManager;
  usage?: UsageRecord;
}

/**
 * Writes generated lessons and tasks. Each write is one transaction that locks the parent row and writes only if
 * the parent has no items yet, so a re-delivered or repeated step never duplicates content. The manual path and
 * the queue's steps both write through here.
 */
@Injectable()
export class CurriculumContentService {
  constructor(private readonly db: DataSource) {}

  writeLessons(projectId: string, lessons: LessonInput[], opts: WriteOptions = {}): Promise<WriteResult> {
    return this.inTransaction(opts.manager, async (m) => {
      const parent: unknown[] = await m.query(`SELECT 1 FROM course_projects WHERE id = $1 FOR UPDATE`, [
        projectId,
      ]);
      if (parent.length === 0) return { written: false, ids: [] };
      const existing: { id: string }[] = await m.query(
        `SELECT id FROM lessons WHERE project_id = $1 ORDER BY position`,
        [projectId],
      );
      if (existing.length > 0) return { written: false, ids: existing.map((r) => r.id) };
      const rows: { id: string }[] = await m.query(
        `INSERT INTO lessons (project_id, position, title, summary, content, estimated_minutes)
         SELECT $1, x.ord - 1, x.item->>'title', x.item->>'summary', x.item->>'content',
                (x.item->>'estimated_minutes')::int
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(item, ord)
         ORDER BY x.ord RETURNING id`,
        [projectId, JSON.stringify(lessons)],
      );
      if (opts.usage) await this.recordUsage(m, opts.usage);
      return { written: true, ids: rows.map((r) => r.id) };
    });
  }

  writeTasks(lessonId: string, tasks: TaskInput[], opts: WriteOptions = {}): Promise<WriteResult> {
    return this.inTransaction(opts.manager, async (m) => {
      const parent: unknown[] = await m.query(`SELECT 1 FROM lessons WHERE id = $1 FOR UPDATE`, [lessonId]);
      if (parent.length === 0) return { written: false, ids: [] };
      const existing: { id: string }[] = await m.query(
        `SELECT id FROM tasks WHERE lesson_id = $1 ORDER BY position`,
        [lessonId],
      );
      if (existing.length > 0) return { written: false, ids: existing.map((r) => r.id) };
      const rows: { id: string }[] = await m.query(
        `INSERT INTO tasks (lesson_id, position, title, instructions, kind, estimated_minutes)
         SELECT $1, x.ord - 1, x.item->>'title', x.item->>'instructions', x.item->>'kind',
                (x.item->>'estimated_minutes')::int
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(item, ord)
         ORDER BY x.ord RETURNING id`,
        [lessonId, JSON.stringify(tasks)],
      );
      if (opts.usage) await this.recordUsage(m, opts.usage);
      return { written: true, ids: rows.map((r) => r.id) };
    });
  }

  async recordUsage(m: EntityManager | DataSource, u: UsageRecord): Promise<void> {
    await m.query(
      `INSERT INTO generation_usage (course_id, job_id, stage, model, prompt_tokens, completion_tokens, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        u.course_id,
        u.job_id ?? null,
        u.stage,
        u.model,
        u.prompt_tokens,
        u.completion_tokens,
        Math.round(u.duration_ms),
      ],
    );
  }

  private inTransaction<T>(
    manager: EntityManager | undefined,
    run: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? run(manager) : this.db.transaction(run);
  }
}
