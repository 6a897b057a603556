import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type {
  BulkJobsResponse,
  GenerationEstimate,
  JobDetailResponse,
  JobListResponse,
  JobStepsResponse,
  QueueCourseResponse,
  SuccessResponse,
} from '../../../contracts/api';
import { AuthUser, CurrentUser } from '../accounts/auth';
import { CourseGenerationJobService } from './course-generation-job.service';
import { BulkJobsService } from './bulk-jobs.service';
import {
  BulkJobsDto,
  CourseIdParam,
  JobDetailQuery,
  JobIdParam,
  JobStepsQuery,
  ListJobsQuery,
  QueueCourseDto,
} from './dto/job.dto';
import { RegenerateDto } from './dto/regenerate.dto';
import { EstimateQuery, ResumeJobDto } from './dto/budget.dto';
import { GenerationEstimator } from './estimates/generation-estimator';
import { JobResumeService } from './job-resume.service';
import { RegenerationJobService } from './types/course-regeneration/regeneration-job.service';
import { ApiErrors, ApiReturns } from '../openapi/api-contract';

/** The plan's queue endpoints (admins; scoped to the caller's organization). */
@Controller('admin/curriculum/generate')
export class JobsController {
  constructor(
    private readonly jobs: CourseGenerationJobService,
    private readonly regeneration: RegenerationJobService,
    private readonly estimator: GenerationEstimator,
    private readonly resumes: JobResumeService,
    private readonly bulk: BulkJobsService,
  ) {}

  @Post(':courseId/queue')
  @HttpCode(201)
  @ApiReturns('QueueCourseResponse', 201)
  @ApiErrors(402, 409)
  queue(
    @CurrentUser() user: AuthUser,
    @Param() p: CourseIdParam,
    @Body() body: QueueCourseDto,
  ): Promise<QueueCourseResponse> {
    return this.jobs.createJob(user, p.courseId, body.auto_publish, body.max_cost_usd);
  }

  /** What queueing the course (or, with `target` and `id`, regenerating one part) would cost (docs/costs.md). */
  @Get(':courseId/estimate')
  @ApiReturns('GenerationEstimate')
  estimate(
    @CurrentUser() user: AuthUser,
    @Param() p: CourseIdParam,
    @Query() q: EstimateQuery,
  ): Promise<GenerationEstimate> {
    return this.estimator.estimate(
      user,
      p.courseId,
      q.target && q.id ? { target: q.target, id: q.id } : undefined,
    );
  }

  /** One project's lessons or one lesson's tasks, rewritten as a job (docs/regeneration.md). */
  @Post(':courseId/regenerate')
  @HttpCode(201)
  @ApiReturns('QueueCourseResponse', 201)
  @ApiErrors(402, 409)
  regenerate(
    @CurrentUser() user: AuthUser,
    @Param() p: CourseIdParam,
    @Body() body: RegenerateDto,
  ): Promise<QueueCourseResponse> {
    return this.regeneration.regenerate(user, p.courseId, body);
  }

  @Get('jobs')
  @ApiReturns('JobListResponse')
  list(@CurrentUser() user: AuthUser, @Query() query: ListJobsQuery): Promise<JobListResponse> {
    return this.jobs.getUserJobs(user, query);
  }

  /** Retry or cancel many jobs; per-job outcomes, never an error for a job in the wrong state (docs/queue.md). */
  @Post('jobs/bulk')
  @HttpCode(200)
  @ApiReturns('BulkJobsResponse')
  bulkAction(@CurrentUser() user: AuthUser, @Body() body: BulkJobsDto): Promise<BulkJobsResponse> {
    return this.bulk.run(user, body);
  }

  @Get('jobs/:jobId')
  @ApiReturns('JobDetailResponse')
  get(
    @CurrentUser() user: AuthUser,
    @Param() p: JobIdParam,
    @Query() query: JobDetailQuery,
  ): Promise<JobDetailResponse> {
    return this.jobs.getJobStatus(user, p.jobId, query.logs_after);
  }

  @Get('jobs/:jobId/steps')
  @ApiReturns('JobStepsResponse')
  steps(
    @CurrentUser() user: AuthUser,
    @Param() p: JobIdParam,
    @Query() query: JobStepsQuery,
  ): Promise<JobStepsResponse> {
    return this.jobs.getJobSteps(user, p.jobId, query.run);
  }

  @Post('jobs/:jobId/cancel')
  @HttpCode(200)
  @ApiReturns('SuccessResponse')
  @ApiErrors(409)
  cancel(@CurrentUser() user: AuthUser, @Param() p: JobIdParam): Promise<SuccessResponse> {
    return this.jobs.cancelJob(user, p.jobId);
  }

  /** A job paused at a budget resumes in a new run, optionally with a higher cap (docs/queue.md, "Paused jobs"). */
  @Post('jobs/:jobId/resume')
  @HttpCode(200)
  @ApiReturns('SuccessResponse')
  @ApiErrors(402, 409)
  resume(
    @CurrentUser() user: AuthUser,
    @Param() p: JobIdParam,
    @Body() body: ResumeJobDto,
  ): Promise<SuccessResponse> {
    return this.resumes.resume(user, p.jobId, body.max_cost_usd);
  }

  @Post('jobs/:jobId/retry')
  @HttpCode(200)
  @ApiReturns('SuccessResponse')
  @ApiErrors(402, 409)
  retry(@CurrentUser() user: AuthUser, @Param() p: JobIdParam): Promise<SuccessResponse> {
    return this.jobs.retryJob(user, p.jobId);
  }
}
