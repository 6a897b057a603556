import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  BulkJobsRequest,
  BulkJobsResponse,
  GenerationEstimate,
  JobDetailResponse,
  JobListFilterQuery,
  JobListResponse,
  JobStatus,
  JobStepsResponse,
  QueueCourseRequest,
  QueueCourseResponse,
  RegenerateRequest,
  SuccessResponse,
} from '@contracts/api';
import { Observable } from 'rxjs';

const BASE = '/api/admin/curriculum/generate';

/** `active` = pending + running, as the API reads it. */
export type JobListStatus = 'active' | Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;

/** The list's filters and paging (docs/queue.md, "Listing jobs"). */
export interface JobListQuery extends JobListFilterQuery {
  status?: JobListStatus;
  page?: number;
  page_size?: number;
}

/** The generation-queue endpoints. */
@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly http = inject(HttpClient);

  list(query: JobListQuery = {}): Observable<JobListResponse> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) {
        params = params.set(key, String(value));
      }
    }
    return this.http.get<JobListResponse>(`${BASE}/jobs`, { params });
  }

  /** The job and its log: the first page, or with `logsAfter` (a `logs_cursor`) the entries after it. */
  get(jobId: string, logsAfter?: string | null): Observable<JobDetailResponse> {
    const url = `${BASE}/jobs/${encodeURIComponent(jobId)}`;
    return logsAfter
      ? this.http.get<JobDetailResponse>(url, { params: new HttpParams().set('logs_after', logsAfter) })
      : this.http.get<JobDetailResponse>(url);
  }

  /** The steps of one run (`run` = the job's retry_count then), the latest run by default; course order. */
  steps(jobId: string, run?: number | null): Observable<JobStepsResponse> {
    const url = `${BASE}/jobs/${encodeURIComponent(jobId)}/steps`;
    return run === undefined || run === null
      ? this.http.get<JobStepsResponse>(url)
      : this.http.get<JobStepsResponse>(url, { params: new HttpParams().set('run', String(run)) });
  }

  cancel(jobId: string): Observable<SuccessResponse> {
    return this.http.post<SuccessResponse>(`${BASE}/jobs/${encodeURIComponent(jobId)}/cancel`, {});
  }

  /** A paused job resumes in a new run, optionally with a higher cost cap (docs/queue.md, "Paused jobs"). */
  resume(jobId: string, maxCostUsd?: number | null): Observable<SuccessResponse> {
    const body = maxCostUsd ? { max_cost_usd: maxCostUsd } : {};
    return this.http.post<SuccessResponse>(`${BASE}/jobs/${encodeURIComponent(jobId)}/resume`, body);
  }

  /** What queueing the course, or regenerating one part (`target`, `id`), would cost (docs/costs.md). */
  estimate(
    courseId: string,
    part?: Pick<RegenerateRequest, 'target' | 'id'>,
  ): Observable<GenerationEstimate> {
    const url = `${BASE}/${encodeURIComponent(courseId)}/estimate`;
    return part
      ? this.http.get<GenerationEstimate>(url, {
          params: new HttpParams().set('target', part.target).set('id', part.id),
        })
      : this.http.get<GenerationEstimate>(url);
  }

  /** Retry or cancel many jobs, or retry every failed job of a filter; per-job outcomes (docs/queue.md). */
  bulk(request: BulkJobsRequest): Observable<BulkJobsResponse> {
    return this.http.post<BulkJobsResponse>(`${BASE}/jobs/bulk`, request);
  }

  retry(jobId: string): Observable<SuccessResponse> {
    return this.http.post<SuccessResponse>(`${BASE}/jobs/${encodeURIComponent(jobId)}/retry`, {});
  }

  /**
   * Queues a `course_regeneration` job for one project's lessons or one lesson's tasks (docs/regeneration.md);
   * 409 (with `job_id`) when the course already has an active job.
   */
  regenerate(courseId: string, request: RegenerateRequest): Observable<QueueCourseResponse> {
    return this.http.post<QueueCourseResponse>(`${BASE}/${encodeURIComponent(courseId)}/regenerate`, request);
  }

  /**
   * 409 (with `job_id`) when the course already has an active job; 402 when the monthly budget is used up.
   * Without `maxCostUsd` the job gets the organization's default cap (docs/costs.md).
   */
  queueCourse(courseId: string, autoPublish: boolean, maxCostUsd?: number): Observable<QueueCourseResponse> {
    const body: QueueCourseRequest = { auto_publish: autoPublish };
    if (maxCostUsd !== undefined) {
      body.max_cost_usd = maxCostUsd;
    }
    return this.http.post<QueueCourseResponse>(`${BASE}/${encodeURIComponent(courseId)}/queue`, body);
  }
}
