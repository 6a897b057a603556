import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';

export const JOB_TYPE_METADATA = 'courseloom:job-type';

/**
 * A job type of the `jobs` queue (the plan's JobScheduler types). Adding a type is one provider class:
 *
 *   @RegisterJobType('weekly_digest')
 *   @Injectable()
 *   export class WeeklyDigestJob implements JobTypeHandler<{ organization_id: string }> { async process(job) {…} }
 *
 * listed in a module's providers; the dispatcher finds it by its name, with no edit to the dispatcher.
 */
export interface JobTypeHandler<T = unknown> {
  process(job: Job<T>, token: string | undefined): Promise<unknown>;
}

export const RegisterJobType = (name: string): ClassDecorator => SetMetadata(JOB_TYPE_METADATA, name);
