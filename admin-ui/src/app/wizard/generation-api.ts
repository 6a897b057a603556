import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ApproveOutlineRequest,
  ApproveOutlineResponse,
  GenerateLessonsResponse,
  GenerateOutlinesRequest,
  GenerateOutlinesResponse,
  GenerateTasksResponse,
} from '@contracts/api';
import { Observable } from 'rxjs';

const BASE = '/api/admin/curriculum/generate';

/** Stage 1 (outlines, approval) and the manual step-by-step path. */
@Injectable({ providedIn: 'root' })
export class GenerationApi {
  private readonly http = inject(HttpClient);

  generateOutlines(body: GenerateOutlinesRequest): Observable<GenerateOutlinesResponse> {
    return this.http.post<GenerateOutlinesResponse>(`${BASE}/outlines`, body);
  }

  approveOutline(body: ApproveOutlineRequest): Observable<ApproveOutlineResponse> {
    return this.http.post<ApproveOutlineResponse>(`${BASE}/outlines/approve`, body);
  }

  /** 409 while a queue job is active for the course. */
  generateLessons(courseId: string, projectId?: string): Observable<GenerateLessonsResponse> {
    return this.http.post<GenerateLessonsResponse>(
      `${BASE}/${encodeURIComponent(courseId)}/lessons`,
      projectId ? { project_id: projectId } : {},
    );
  }

  generateTasks(courseId: string, lessonId?: string): Observable<GenerateTasksResponse> {
    return this.http.post<GenerateTasksResponse>(
      `${BASE}/${encodeURIComponent(courseId)}/tasks`,
      lessonId ? { lesson_id: lessonId } : {},
    );
  }
}
