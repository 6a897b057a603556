import { JOB_STATUSES } from '../../../../contracts/api';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
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

export class ListJobsQuery {
  /** `active` = pending + running; `running` = running only; or one status. */
  @IsOptional()
  @IsIn(JOB_LIST_STATUSES)
  status?: JobListStatus;

  /** `mine` (default): the current user's jobs; `organization`: everyone's in the organization. */
  @IsOptional()
  @IsIn(['mine', 'organization'])
  scope?: 'mine' | 'organization';

  /** Only this course's jobs. */
  @IsOptional()
  @IsUUID('all', { message: 'course_id must be a UUID' })
  course_id?: string;

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
