import { Injectable } from '@nestjs/common';
import type { QueueCourseResponse, RegenerateRequest } from '../../../../../contracts/api';
import type { AuthUser } from '../../../accounts/auth';
import { ConflictError, NotFoundError } from '../../../common/domain-error';
import { CourseGenerationItems } from '../../../curriculum/course-generation-items.service';
import { GenerationContexts } from '../../../curriculum/generation-contexts';
import { JobProducer } from '../../job-producer';
import { JOB_TYPES } from '../../jobs.constants';
import type { RegenerationParams } from './regeneration-params';

/**
 * Queues a `course_regeneration` job (docs/regeneration.md): the lessons of one project or the tasks of one lesson of
 * a course of the caller's organization. Any status but `archived` and `generating` may regenerate a part — a
 * published course stays published and readable while it runs. A project without lessons (a lesson without tasks)
 * may be "regenerated" too: the job writes them.
 */
@Injectable()
export class RegenerationJobService {
  constructor(
    private readonly producer: JobProducer,
    private readonly items: CourseGenerationItems,
    private readonly contexts: GenerationContexts,
  ) {}

  async regenerate(user: AuthUser, courseId: string, body: RegenerateRequest): Promise<QueueCourseResponse> {
    const job = await this.producer.create(async (m) => {
      // The course row stays locked until the commit: two requests for one course are serialised.
      const course = await this.items.lockForGeneration(m, courseId, user.organization_id);
      if (!course) throw new NotFoundError('Course');
      const item =
        body.target === 'project_lessons'
          ? await this.contexts.lessons(m, body.id, courseId)
          : await this.contexts.tasks(m, body.id, courseId);
      if (!item) throw new NotFoundError(body.target === 'project_lessons' ? 'Project' : 'Lesson');
      await this.producer.refuseIfActive(m, courseId);
      if (course.status === 'archived') {
        throw new ConflictError('The course is archived; its parts cannot be regenerated');
      }
      if (course.status === 'generating') {
        throw new ConflictError('The course is being generated; regenerate a part once it has finished');
      }
      const params: RegenerationParams = {
        target: body.target,
        item_id: body.id,
        item_title: item.title,
        instructions: body.instructions?.trim() || null,
      };
      return {
        course_id: courseId,
        user_id: user.id,
        organization_id: user.organization_id,
        auto_publish: false,
        job_type: JOB_TYPES.courseRegeneration,
        params: { ...params },
      };
    }, body.max_cost_usd);
    return { success: true, job_id: job.id };
  }
}
