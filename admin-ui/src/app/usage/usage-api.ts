import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UsageReport } from '@contracts/api';
import { Observable } from 'rxjs';

/** GET /api/admin/usage: the organization's model calls of one month (docs/costs.md). */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly http = inject(HttpClient);

  month(month: string): Observable<UsageReport> {
    return this.http.get<UsageReport>('/api/admin/usage', { params: new HttpParams().set('month', month) });
  }
}
