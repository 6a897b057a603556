import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CourseStatus } from '../../../contracts/api';

/**
 * Compare-and-set status changes for the generation jobs: each returns whether the course moved (false when it
 * was not in an allowed status, or does not exist). No organization check: callers hold a job of the course.
 */
@Injectable()
export class CourseStatusService {
  constructor(private readonly dataSource: DataSource) {}

  /** draft | ready → generating (a job starts writing content). */
  markGenerating(courseId: string, manager?: EntityManager): Promise<boolean> {
    return this.move(courseId, 'generating', ['draft', 'ready'], manager);
  }

  /** generating → ready (the job finished). */
  markReady(courseId: string, manager?: EntityManager): Promise<boolean> {
    return this.move(courseId, 'ready', ['generating'], manager);
  }

  /** generating → draft (the job failed or was cancelled). */
  markDraft(courseId: string, manager?: EntityManager): Promise<boolean> {
    return this.move(courseId, 'draft', ['generating'], manager);
  }

  private async move(
    courseId: string,
    to: CourseStatus,
    from: CourseStatus[],
    manager?: EntityManager,
  ): Promise<boolean> {
    const rows = await (manager ?? this.dataSource.manager).query<{ id: string }[]>(
      `UPDATE courses SET status = $2, updated_at = now() WHERE id = $1 AND status = ANY($3::text[]) RETURNING id`,
      [courseId, to, from],
    );
    return rows.length === 1;
  }
}
