import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, map, of } from 'rxjs';

export type ApiHealth = 'ok' | 'degraded';

/** The part of the API's `GET /health` body the console reads. */
interface HealthBody {
  readonly status?: unknown;
}

@Injectable({ providedIn: 'root' })
export class HealthApi {
  private readonly http = inject(HttpClient);

  /**
   * `GET /health` (served at the API root, outside `/api` and the `/admin/` base href).
   * Never errors: any failure — network, non-2xx, unexpected body — reads as `degraded`.
   */
  check(): Observable<ApiHealth> {
    return this.http.get<HealthBody>('/health').pipe(
      map((body): ApiHealth => (body?.status === 'ok' ? 'ok' : 'degraded')),
      catchError(() => of<ApiHealth>('degraded')),
    );
  }
}
