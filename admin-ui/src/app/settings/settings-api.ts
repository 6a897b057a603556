import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { OrganizationSettings, OrganizationSettingsView } from '@contracts/api';
import { Observable } from 'rxjs';

const URL = '/api/admin/settings';

/** The organization's budgets (docs/costs.md, "Budgets and estimates"): admins read, owners change (else 403). */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  get(): Observable<OrganizationSettingsView> {
    return this.http.get<OrganizationSettingsView>(URL);
  }

  save(settings: OrganizationSettings): Observable<OrganizationSettingsView> {
    return this.http.put<OrganizationSettingsView>(URL, settings);
  }
}
