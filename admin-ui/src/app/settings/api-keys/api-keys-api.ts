import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApiKeyListResponse, CreateApiKeyRequest, CreatedApiKey } from '@contracts/api';
import { Observable } from 'rxjs';

const URL = '/api/admin/api-keys';

/** API keys for machines (docs/accounts-and-curriculum.md#api-keys): admins list, owners create and revoke. */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ApiKeyListResponse> {
    return this.http.get<ApiKeyListResponse>(URL);
  }

  create(request: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>(URL, request);
  }

  revoke(id: string): Observable<void> {
    return this.http.delete<void>(`${URL}/${encodeURIComponent(id)}`);
  }
}
