import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ActiveCourseJobs } from '../curriculum/versions/active-course-jobs';
import { JobStore } from './engine/job-store';

/** ACTIVE_COURSE_JOBS as the jobs module provides it: the same "active job of this course" check as queueing. */
@Injectable()
export class JobStoreActiveCourseJobs implements ActiveCourseJobs {
  constructor(private readonly store: JobStore) {}

  async activeJobId(m: EntityManager, courseId: string): Promise<string | null> {
    return (await this.store.findActiveForCourse(courseId, m))?.id ?? null;
  }
}
