import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CourseDetail,
  CourseListResponse,
  CourseStatus,
  CourseSummary,
  LessonView,
  ProjectView,
  TaskView,
} from '@contracts/api';
import { Observable } from 'rxjs';

const BASE = '/api/admin/curriculum';

export interface CourseListQuery {
  status?: CourseStatus;
  search?: string;
  page?: number;
  page_size?: number;
}

export type CoursePatch = Partial<Pick<CourseSummary, 'title' | 'description' | 'auto_publish_updates'>>;
export type ProjectPatch = Partial<Pick<ProjectView, 'title' | 'description' | 'objectives' | 'position'>>;
export type LessonPatch = Partial<
  Pick<LessonView, 'title' | 'summary' | 'content' | 'estimated_minutes' | 'position'>
>;
export type TaskPatch = Partial<
  Pick<TaskView, 'title' | 'instructions' | 'kind' | 'estimated_minutes' | 'position'>
>;

/** Courses and their tree: list, detail, inline edits, publish, upload. */
@Injectable({ providedIn: 'root' })
export class CoursesApi {
  private readonly http = inject(HttpClient);

  list(query: CourseListQuery = {}): Observable<CourseListResponse> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params = params.set(key, String(value));
      }
    }
    return this.http.get<CourseListResponse>(`${BASE}/courses`, { params });
  }

  get(id: string): Observable<CourseDetail> {
    return this.http.get<CourseDetail>(`${BASE}/courses/${encodeURIComponent(id)}`);
  }

  updateCourse(id: string, patch: CoursePatch): Observable<unknown> {
    return this.http.patch(`${BASE}/courses/${encodeURIComponent(id)}`, patch);
  }

  updateProject(id: string, patch: ProjectPatch): Observable<unknown> {
    return this.http.patch(`${BASE}/projects/${encodeURIComponent(id)}`, patch);
  }

  updateLesson(id: string, patch: LessonPatch): Observable<unknown> {
    return this.http.patch(`${BASE}/lessons/${encodeURIComponent(id)}`, patch);
  }

  updateTask(id: string, patch: TaskPatch): Observable<unknown> {
    return this.http.patch(`${BASE}/tasks/${encodeURIComponent(id)}`, patch);
  }

  delete(id: string): Observable<unknown> {
    return this.http.delete(`${BASE}/courses/${encodeURIComponent(id)}`);
  }

  /** 409 PublishConflict (with `missing`) when the tree is incomplete. */
  publish(id: string): Observable<unknown> {
    return this.http.post(`${BASE}/courses/${encodeURIComponent(id)}/publish`, {});
  }

  unpublish(id: string): Observable<unknown> {
    return this.http.post(`${BASE}/courses/${encodeURIComponent(id)}/unpublish`, {});
  }

  /** Multipart field `file`; 400 names the failing `line` or `path`, 413 = too large. */
  upload(file: File): Observable<{ course_id: string }> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.http.post<{ course_id: string }>(`${BASE}/upload`, form);
  }
}
