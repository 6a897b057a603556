import type { EntityManager } from 'typeorm';

/**
 * The port through which the curriculum asks whether a course has an active job of any type. Course generation
 * marks its course `generating`, but a regeneration job leaves the status as it is (docs/regeneration.md), so the
 * status alone cannot tell. The jobs module provides it (it owns the jobs table); the curriculum looks it up by
 * token without importing that module, as it does MODEL_CALL_GATEWAY.
 */
export interface ActiveCourseJobs {
  /** The id of the course's active job, or null. Read inside `m`, under the course's lock. */
  activeJobId(m: EntityManager, courseId: string): Promise<string | null>;
}

export const ACTIVE_COURSE_JOBS = Symbol('ACTIVE_COURSE_JOBS');
