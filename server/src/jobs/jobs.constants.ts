import type { JobStatus, JobStep } from '../../../contracts/api';
import type { ModelCall } from '../model-budget/model-call-gateway';

/** Every queue of the product. Bull Board shows each; no other file spells a queue name. */
export const QUEUES = {
  /** Top-level typed jobs, dispatched by job name through the job-type registry. */
  jobs: 'jobs',
  /** One job per model call of a course generation (lessons of a project, tasks of a lesson). */
  steps: 'course-generation-steps',
} as const;

/** Job types of the `jobs` queue (the plan's JobScheduler types). */
export const JOB_TYPES = {
  courseGeneration: 'course_generation',
} as const;

export type StepKind = 'lessons' | 'tasks';

export interface CourseGenerationPayload {
  job_id: string;
  /** The row's retry_count when enqueued: a queue entry of an older run does nothing. */
  retry: number;
}

export interface StepPayload extends CourseGenerationPayload {
  kind: StepKind;
  /** The project (lessons) or lesson (tasks) this step writes into. */
  item_id: string;
}

/**
 * A synchronous endpoint's model call, run on the steps queue so it takes a slot of the same budget as the steps
 * (docs/queue.md, "One model budget"). Its queue id is `model-call_<uuid>`.
 */
export const MODEL_CALL_JOB = 'model_call';

export interface ModelCallPayload {
  call: ModelCall;
}

/** What the steps queue carries: steps (named by their kind) and synchronous model calls (MODEL_CALL_JOB). */
export type StepsQueuePayload = StepPayload | ModelCallPayload;

/** Queue ids are derived from row ids, so enqueueing the same work twice is a no-op (BullMQ ids cannot hold ':'). */
export const courseQueueJobId = (jobId: string, retry: number): string =>
  retry === 0 ? jobId : `${jobId}_r${retry}`;
export const stepQueueJobId = (p: StepPayload): string => `${p.job_id}_r${p.retry}_${p.kind}_${p.item_id}`;

export const ACTIVE_STATUSES: JobStatus[] = [
  'pending',
  'generating_lessons',
  'generating_tasks',
  'finalizing',
];
export const RUNNING_STATUSES: JobStatus[] = ['generating_lessons', 'generating_tasks', 'finalizing'];
export const TERMINAL_STATUSES: JobStatus[] = ['completed', 'failed', 'cancelled'];

export const STATUS_OF_STEP: Record<StepKind, JobStatus> = {
  lessons: 'generating_lessons',
  tasks: 'generating_tasks',
};

export const STEP_OF_STATUS: Partial<Record<JobStatus, JobStep>> = {
  generating_lessons: 'lessons',
  generating_tasks: 'tasks',
  finalizing: 'finalizing',
};

/** Redis pub/sub channels (under REDIS_PREFIX). */
export const CHANNELS = {
  cancel: 'cancel',
  cancelAck: 'cancel-ack',
} as const;
