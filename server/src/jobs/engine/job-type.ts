import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JobLogEntry, JobStatus, JobStep } from '../../../../contracts/api';
import type { JobRow } from './job-store';
import type { StepItem } from './step-store';

export const JOB_TYPE_METADATA = 'courseloom:job-type';

/**
 * Marks a provider as a job type: a class implementing JobTypeDefinition, listed in any module's providers. The
 * engine finds it by its `name` (the `job_type` column and the name of its `jobs` queue entries). docs/extending.md.
 */
export const RegisterJobType = (): ClassDecorator => SetMetadata(JOB_TYPE_METADATA, true);

/** The running statuses a phase may run under (the dashboard's badges): docs/extending.md, "Phases and statuses". */
export type PhaseStatus = 'generating_lessons' | 'generating_tasks';

/** How far a phase (or the first one, at start) stands: its progress counters and its opening log lines. */
export interface PhaseOpening {
  logs: JobLogEntry[];
  items_total: number;
  items_completed: number;
}

/** One item of a phase, as its step sees it: what it needs to run, and what the logs and step row show. */
export interface StepWork<I = unknown> {
  /** The step row's item (title and order in the job). */
  item: StepItem;
  /** True when the item already has its result: the step is skipped (a re-delivered step never duplicates). */
  done: boolean;
  /** The type's own input for runStep (e.g. a prompt context). */
  input: I;
}

/** What runStep returns: the value to write, and what the step row records (model, prompt, tokens, time). */
export interface StepOutput<R = unknown> {
  value: R;
  model?: string | null;
  prompt_id?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_prompt_tokens?: number };
  duration_ms?: number;
  /** The call's price in USD: null = unknown price; absent = 0 without `usage`, else unknown (docs/costs.md). */
  cost_usd?: number | null;
}

export interface StepContext<I = unknown> {
  /** The job's row — read for its scope (id, course, organization, params); its status and progress may be stale. */
  job: JobRow;
  item_id: string;
  work: StepWork<I>;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the job is cancelled (in whichever process the cancel was made). */
  signal: AbortSignal;
  /** Appends a line to the job's log (nothing once the job has ended). */
  log(entry: JobLogEntry): Promise<void>;
}

export interface PhaseDefinition<I = unknown, R = unknown> {
  /** The step kind (the step rows' `kind`, the steps' queue name); unique across all job types. */
  kind: string;
  /** The job status while this phase runs. */
  status: PhaseStatus;
  /** What the job's `current_step` / `failed_step` say during this phase. */
  step: Exclude<JobStep, 'finalizing'>;
  /** The progress counters and log lines when the job enters this phase (not needed for the first phase). */
  begin?(job: JobRow): Promise<PhaseOpening>;
  /** The items still missing work, in the job's order; the engine fans out one step for each. */
  findMissing(job: JobRow): Promise<StepItem[]>;
  /** One item, looked up within the job's own scope; null when the item is not the job's (the job then fails). */
  load(job: JobRow, itemId: string): Promise<StepWork<I> | null>;
  /** The work of one step (a model call or anything else); may throw (retried with backoff). */
  runStep(ctx: StepContext<I>): Promise<StepOutput<R>>;
  /** Writes the result inside the engine's transaction (with the step row and progress); 'skipped' rolls back. */
  writeResult(m: EntityManager, ctx: StepContext<I>, result: StepOutput<R>): Promise<'written' | 'skipped'>;
  /** Log lines and words of this phase. */
  messages: {
    started(work: StepWork<I>): JobLogEntry;
    done(work: StepWork<I>, result: StepOutput<R>): JobLogEntry;
    /** The step's object in messages: `lessons of "Intro"`. */
    what(title: string): string;
    /** Why an item that `load` did not find is refused. */
    outOfScope(itemId: string): string;
  };
}

/**
 * A job type: its phases (run in order, each fanned out as parallel steps) and optional hooks. The engine owns
 * everything else: the job row and its transitions, step rows, fan-out, retries, cancel, progress, logs, the
 * reconciler and shutdown. docs/extending.md.
 */
export interface JobTypeDefinition {
  /** The `job_type` column and the `jobs` queue entry's name. */
  readonly name: string;
  /** One or two phases (one per PhaseStatus, in that order). */
  readonly phases: PhaseDefinition[];
  /** pending → the first phase: its counters and the job's opening log lines. */
  start(job: JobRow): Promise<PhaseOpening>;
  /** After the last phase, in the transaction that completes the job: its closing log lines. */
  finalize?(m: EntityManager, job: JobRow): Promise<JobLogEntry[]>;
  /** The job becomes active (queued, retried), in that transaction (course generation: the course → generating). */
  claim?(m: EntityManager, job: JobRow): Promise<void>;
  /** The job failed or was cancelled, in that transaction (course generation: the course → draft). */
  release?(m: EntityManager, job: JobRow): Promise<void>;
}

/** The statuses phases run under, in order: the first phase runs under the first. */
export const PHASE_STATUSES: readonly PhaseStatus[] = ['generating_lessons', 'generating_tasks'];

export const isPhaseStatus = (s: JobStatus): s is PhaseStatus => (PHASE_STATUSES as JobStatus[]).includes(s);
