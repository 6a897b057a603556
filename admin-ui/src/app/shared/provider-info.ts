import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { ProviderInfo } from '@contracts/api';
import { catchError, map, of } from 'rxjs';

/** Which model writes content, asked once per session; pages label the offline sample generator plainly. */
@Injectable({ providedIn: 'root' })
export class ProviderInfoStore {
  private readonly http = inject(HttpClient);

  readonly sample = toSignal(
    this.http.get<ProviderInfo>('/api/admin/curriculum/generate/provider').pipe(
      map((info) => info.sample),
      catchError(() => of(false)),
    ),
    { initialValue: false },
  );
}
