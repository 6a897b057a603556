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
  /** USD; null = unknown price (docs/costs.md). */
  cost_usd: number | null;
  /** Part of prompt_tokens read from the provider's prompt cache. */
  cached_tokens?: number;
  /** Who caused the call: the job's user, or the caller of a synchronous endpoint. */
  user_id: string | null;
  /** The job's type; null for a synchronous endpoint's call. */
  job_type?: string | null;
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
    return this.writeChildren(
      { parent: 'course_projects', table: 'lessons', fk: 'project_id' },
      `title, summary, content, estimated_minutes`,
      `x.item->>'title', x.item->>'summary', x.item->>'content', (x.item->>'estimated_minutes')::int`,
      projectId,
      lessons,
      opts,
    );
  }

  writeTasks(lessonId: string, tasks: TaskInput[], opts: WriteOptions = {}): Promise<WriteResult> {
    return this.writeChildren(
      { parent: 'lessons', table: 'tasks', fk: 'lesson_id' },
      `title, instructions, kind, estimated_minutes`,
      `x.item->>'title', x.item->>'instructions', x.item->>'kind', (x.item->>'estimated_minutes')::int`,
      lessonId,
      tasks,
      opts,
    );
  }

  async recordUsage(m: EntityManager | DataSource, u: UsageRecord): Promise<void> {
    await m.query(
      `INSERT INTO generation_usage (course_id, job_id, stage, model, prompt_tokens, completion_tokens, duration_ms,
         cost_usd, cached_tokens, user_id, job_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        u.course_id,
        u.job_id ?? null,
        u.stage,
        u.model,
        u.prompt_tokens,
        u.completion_tokens,
        Math.round(u.duration_ms),
        u.cost_usd,
        u.cached_tokens ?? 0,
        u.user_id,
        u.job_type ?? null,
      ],
    );
  }

  /**
   * Two statements (a queue step's write is on its hot path: docs/queue.md, "Performance"): the parent row is locked
   * first, in a statement of its own — so the next one's snapshot, taken after the lock is granted, sees items a
   * concurrent writer committed meanwhile; then one statement reads the existing items and, only when there are
   * none, inserts the new ones in order and records the usage.
   */
  private writeChildren(
    t: { parent: 'course_projects' | 'lessons'; table: 'lessons' | 'tasks'; fk: 'project_id' | 'lesson_id' },
    columns: string,
    values: string,
    parentId: string,
    items: LessonInput[] | TaskInput[],
    opts: WriteOptions,
  ): Promise<WriteResult> {
    return this.inTransaction(opts.manager, async (m) => {
      const parent: unknown[] = await m.query(`SELECT 1 FROM ${t.parent} WHERE id = $1 FOR UPDATE`, [
        parentId,
      ]);
      if (parent.length === 0) return { written: false, ids: [] };
      const u = opts.usage;
      const rows: { existing: string[] | null; inserted: string[] | null }[] = await m.query(
        `WITH existing AS (SELECT id, position FROM ${t.table} WHERE ${t.fk} = $1),
         inserted AS (
           INSERT INTO ${t.table} (${t.fk}, position, ${columns})
           SELECT $1, x.ord - 1, ${values}
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(item, ord)
           WHERE NOT EXISTS (SELECT 1 FROM existing)
           ORDER BY x.ord RETURNING id, position
         ),
         usage AS (
           INSERT INTO generation_usage
             (course_id, job_id, stage, model, prompt_tokens, completion_tokens, duration_ms,
              cost_usd, cached_tokens, user_id, job_type)
           SELECT $3::uuid, $4::uuid, $5, $6, $7::int, $8::int, $9::int, $10::numeric, $11::int, $12::uuid, $13::text
           WHERE $3::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM inserted)
         )
         SELECT (SELECT array_agg(id ORDER BY position) FROM existing) AS existing,
                (SELECT array_agg(id ORDER BY position) FROM inserted) AS inserted`,
        [
          parentId,
          JSON.stringify(items),
          u?.course_id ?? null,
          u?.job_id ?? null,
          u?.stage ?? null,
          u?.model ?? null,
          u?.prompt_tokens ?? 0,
          u?.completion_tokens ?? 0,
          u ? Math.round(u.duration_ms) : 0,
          u?.cost_usd ?? null,
          u?.cached_tokens ?? 0,
          u?.user_id ?? null,
          u?.job_type ?? null,
        ],
      );
      const { existing, inserted } = rows[0];
      if (existing?.length) return { written: false, ids: existing };
      return { written: true, ids: inserted ?? [] };
    });
  }

  private inTransaction<T>(
    manager: EntityManager | undefined,
    run: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? run(manager) : this.db.transaction(run);
  }
}
