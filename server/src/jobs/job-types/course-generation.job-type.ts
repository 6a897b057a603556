import { Injectable } from '@nestjs/common';
import { Job, WaitingChildrenError } from 'bullmq';
import { CourseStatusService } from '../../curriculum/course-status.service';
import { JobStore } from '../job-store';
import { LOG } from '../job-log';
import { CourseGenerationPayload, JOB_TYPES, RUNNING_STATUSES, STEP_OF_STATUS } from '../jobs.constants';
import { CourseJobOrchestrator } from '../processing/course-job-orchestrator';
import { COURSE_JOB_ATTEMPTS } from '../processing/job-queue';
import { reasonOf } from '../processing/step-errors';
import { JobTypeHandler, RegisterJobType } from './job-type';

/** `course_generation`: the course job, which fans out its steps and waits for them (BullMQ waiting-children). */
@RegisterJobType(JOB_TYPES.courseGeneration)
@Injectable()
export class CourseGenerationJobType implements JobTypeHandler<CourseGenerationPayload> {
  constructor(
    private readonly orchestrator: CourseJobOrchestrator,
    private readonly store: JobStore,
    private readonly courseStatus: CourseStatusService,
  ) {}

  async process(job: Job<CourseGenerationPayload>, token: string | undefined): Promise<string> {
    try {
      const result = await this.orchestrator.advance(job, token);
      if (result === 'waiting-for-steps') throw new WaitingChildrenError();
      return result;
    } catch (err) {
      if (err instanceof WaitingChildrenError) throw err;
      // The orchestrator's own last attempt failed (not a step's): the job fails where it stands.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.fail(job.data.job_id, err);
      throw err;
    }
  }

  private async fail(jobId: string, err: unknown): Promise<void> {
    const row = await this.store.find(jobId);
    if (!row) return;
    const step = STEP_OF_STATUS[row.status] ?? 'lessons';
    const failed = await this.store.transition(
      jobId,
      ['pending', ...RUNNING_STATUSES],
      'failed',
      { failed_step: step, error_message: `The ${step} step failed: ${reasonOf(err)}`, completed_at: 'now' },
      [LOG.failed(`the ${step} step`, COURSE_JOB_ATTEMPTS, reasonOf(err))],
    );
    if (failed) await this.courseStatus.markDraft(failed.course_id);
  }
}
