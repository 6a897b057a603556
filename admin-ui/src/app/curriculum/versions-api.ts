import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { RestoreVersionResponse, VersionDetail, VersionListResponse } from '@contracts/api';
import { Observable } from 'rxjs';

const BASE = '/api/admin/curriculum/courses';

/** The versions of a course's parts: list, one with its current content, restore (docs/regeneration.md). */
@Injectable({ providedIn: 'root' })
export class VersionsApi {
  private readonly http = inject(HttpClient);

  /** Newest first; `itemId` narrows to one project's, lesson's or task's versions. */
  list(courseId: string, itemId?: string): Observable<VersionListResponse> {
    const params = itemId ? new HttpParams().set('item', itemId) : undefined;
    return this.http.get<VersionListResponse>(`${BASE}/${encodeURIComponent(courseId)}/versions`, { params });
  }

  /** The version's snapshot and the same part as it is now (for a diff). */
  get(courseId: string, versionId: string): Observable<VersionDetail> {
    return this.http.get<VersionDetail>(
      `${BASE}/${encodeURIComponent(courseId)}/versions/${encodeURIComponent(versionId)}`,
    );
  }

  /** 409 while the course has an active job, or when the part no longer exists. */
  restore(courseId: string, versionId: string): Observable<RestoreVersionResponse> {
    return this.http.post<RestoreVersionResponse>(
      `${BASE}/${encodeURIComponent(courseId)}/versions/${encodeURIComponent(versionId)}/restore`,
      {},
    );
  }
}
