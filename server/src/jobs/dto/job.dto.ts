import { BULK_JOB_IDS_MAX, JOB_STATUSES } from '../../../../contracts/api';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MaxCostUsd } from './budget.dto';

export class CourseIdParam {
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId: string;
}

export class JobIdParam {
  @IsUUID('all', { message: 'jobId must be a UUID' })
  jobId: string;
}

export class QueueCourseDto {
  /** Publish the course when generation completes (else it becomes `ready` for review). */
  @IsBoolean()
  auto_publish: boolean;

  /** The job's cost cap in USD (default: the organization's default job cap; docs/costs.md). */
  @MaxCostUsd()
  max_cost_usd?: number;
}

/** `active` = pending + running, `running` = the three running statuses, or any one status. */
export const JOB_LIST_STATUSES = ['active', 'running', ...JOB_STATUSES] as const;
export type JobListStatus = (typeof JOB_LIST_STATUSES)[number];

/** The list's filters (docs/queue.md, "Listing jobs"); also the `filter` of a bulk retry. */
export class JobFilterQuery {
  /** `mine` (default): the current user's jobs; `organization`: everyone's in the organization. */
  @IsOptional()
  @IsIn(['mine', 'organization'], { message: 'scope must be mine or organization' })
  scope?: 'mine' | 'organization';

  /** Part of the course title, any case. */
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1, { message: 'search must not be empty' })
  @MaxLength(200, { message: 'search must be at most 200 characters' })
  search?: string;

  /** One job type (`course_generation`, `course_regeneration`, … — docs/extending.md). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, {
    message: 'job_type must be a job type name such as course_generation',
  })
  job_type?: string;

  /** Created at or after: an ISO 8601 date (`2026-11-01`) or date-time. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  /** Created on or before: an ISO 8601 date (that whole day, UTC) or date-time. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  /** Only this course's jobs. */
  @IsOptional()
  @IsUUID('all', { message: 'course_id must be a UUID' })
  course_id?: string;
}

export class ListJobsQuery extends JobFilterQuery {
  /** `active` = pending + running; `running` = running only; or one status. */
  @IsOptional()
  @IsIn(JOB_LIST_STATUSES)
  status?: JobListStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size?: number;
}

/** POST …/jobs/bulk (docs/queue.md, "Bulk actions"): `job_ids`, or for `retry` a `filter` of failed jobs. */
export class BulkJobsDto {
  @IsIn(['retry', 'cancel'], { message: 'action must be retry or cancel' })
  action: 'retry' | 'cancel';

  @IsOptional()
  @IsArray({ message: 'job_ids must be an array of job ids' })
  @ArrayMinSize(1, { message: 'job_ids must name at least one job' })
  @ArrayMaxSize(BULK_JOB_IDS_MAX, { message: `job_ids must name at most ${BULK_JOB_IDS_MAX} jobs` })
  @IsUUID('all', { each: true, message: 'each of job_ids must be a UUID' })
  job_ids?: string[];

  /** Retry every failed job the list shows with these filters (at most BULK_FILTER_MAX per request). */
  @IsOptional()
  @ValidateNested()
  @Type(() => JobFilterQuery)
  filter?: JobFilterQuery;
}

export class JobDetailQuery {
  /** The `logs_cursor` of a previous answer: only the log entries after it. */
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,17})$/, { message: 'logs_after must be a logs_cursor (a whole number)' })
  logs_after?: string;
}

export class JobStepsQuery {
  /** The run (the job's retry_count at the time); the current run by default. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'run must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  run?: number;
}
