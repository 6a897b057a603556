import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CourseStatus } from '../../../contracts/api';
import { Course } from './entities/course.entity';

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
    // UPDATE … WHERE status = ANY(allowed): a late caller can never undo a newer status.
    const result = await (manager ?? this.dataSource.manager)
      .createQueryBuilder()
      .update(Course)
      .set({ status: to, updated_at: () => 'now()' })
      .where('id = :courseId AND status = ANY(:from)', { courseId, from })
      .execute();
    return result.affected === 1;
  }
}
