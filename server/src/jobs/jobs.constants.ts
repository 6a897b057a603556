import type { JobStatus, JobStep } from '../../../contracts/api';
import type { ModelCall } from '../model-budget/model-call-gateway';

/** Every queue of the product. Bull Board shows each; no other file spells a queue name. */
export const QUEUES = {
  /** Top-level typed jobs, dispatched by job name through the job-type registry. */
  jobs: 'jobs',
  /** One job per step of any job type (for course generation: the lessons of a project, the tasks of a lesson). */
  steps: 'course-generation-steps',
  /** One job per webhook delivery (an event to one endpoint); docs/webhooks.md. */
  webhooks: 'webhook-deliveries',
} as const;

/** Job types of the `jobs` queue built into the product (docs/extending.md). */
export const JOB_TYPES = {
  courseGeneration: 'course_generation',
  /** One project's lessons or one lesson's tasks rewritten (docs/regeneration.md). */
  courseRegeneration: 'course_regeneration',
} as const;

/** A step's kind: the `kind` of one phase of a job type (`lessons`, `tasks` …); unique across job types. */
export type StepKind = string;

/** A `jobs` queue entry, whatever its type (the entry's name is the job type). */
export interface JobPayload {
  job_id: string;
  /** The row's retry_count when enqueued: a queue entry of an older run does nothing. */
  retry: number;
}

/** The course job's entry (kept as a name: a course job is one job type's entry). */
export type CourseGenerationPayload = JobPayload;

export interface StepPayload extends JobPayload {
  kind: StepKind;
  /** The item this step works on (for course generation: the project (lessons) or lesson (tasks)). */
  item_id: string;
}

/**
 * A synchronous endpoint's model call, run on the steps queue so it takes a slot of the same budget as the steps
 * (docs/queue.md, "One model budget"). Its queue id is `model-call_<uuid>`.
 */
export const MODEL_CALL_JOB = 'model_call';

export interface ModelCallPayload {
  call: ModelCall;
  /** The id of the request waiting for the call, so the worker's lines carry it (docs/queue.md, "Following a job in the logs"). */
  req_id?: string;
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
  'paused', // holds its course until resumed or cancelled (docs/queue.md, "Paused jobs")
];
export const RUNNING_STATUSES: JobStatus[] = ['generating_lessons', 'generating_tasks', 'finalizing'];
export const TERMINAL_STATUSES: JobStatus[] = ['completed', 'failed', 'cancelled'];

export const STEP_OF_STATUS: Partial<Record<JobStatus, JobStep>> = {
  generating_lessons: 'lessons',
  generating_tasks: 'tasks',
  finalizing: 'finalizing',
};

/** Redis pub/sub channels (under redisKeyPrefix). */
export const CHANNELS = {
  cancel: 'cancel',
  cancelAck: 'cancel-ack',
} as const;
