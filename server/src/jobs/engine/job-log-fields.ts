import type { Job } from 'bullmq';
import { LogFields, REQUEST_ID_PATTERN } from '../../logging/log-context';
import type { JobPayload, ModelCallPayload, StepPayload } from '../jobs.constants';

/**
 * The log fields of a queue entry, read from its payload when a worker takes it (docs/queue.md, "Following a job in
 * the logs"). Anyone who can write to Redis can craft a payload: only strings are taken, and the course (unknown
 * here) is added once the job's row is read.
 */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A `jobs` queue entry: its name is the job type. */
export function jobLogFields(job: Job<JobPayload>): LogFields {
  return { job_id: text(job.data?.job_id), job_type: job.name };
}

/** A step: its job, kind, queue entry and item. */
export function stepLogFields(job: Job<StepPayload>): LogFields {
  return {
    job_id: text(job.data?.job_id),
    step_kind: text(job.data?.kind),
    step_id: job.id,
    item_id: text(job.data?.item_id),
  };
}

/** A synchronous endpoint's model call, with the id of the request that is waiting for it. */
export function modelCallLogFields(job: Job<ModelCallPayload>): LogFields {
  const reqId = text(job.data?.req_id);
  return { model_call_id: job.id, req_id: reqId && REQUEST_ID_PATTERN.test(reqId) ? reqId : undefined };
}
