import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from '@contracts/api';
import { Observable, tap } from 'rxjs';

import { errorMessage } from '../../shared/api-error';
import { ApiKeysApi } from './api-keys-api';

/**
 * The organization's API keys for one panel (provided by the component). The secret of a new key is held only
 * until the owner dismisses it: it is never fetched again.
 */
@Injectable()
export class ApiKeysStore {
  private readonly api = inject(ApiKeysApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly keysState = signal<ApiKeyView[] | null>(null);
  private readonly loadErrorState = signal<string | null>(null);
  private readonly createdState = signal<CreatedApiKey | null>(null);

  readonly keys = this.keysState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  /** The key just created, with its secret, until dismissed. */
  readonly created = this.createdState.asReadonly();

  load(): void {
    this.api
      .list()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (res) => {
          this.loadErrorState.set(null);
          this.keysState.set(res.api_keys);
        },
        error: (error: unknown) =>
          this.loadErrorState.set(errorMessage(error, 'The API keys could not be loaded.')),
      });
  }

  create(request: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.api.create(request).pipe(
      tap((created) => {
        const { key: _secret, ...view } = created;
        this.keysState.update((keys) => [...(keys ?? []), view]);
        this.createdState.set(created);
      }),
    );
  }

  dismissCreated(): void {
    this.createdState.set(null);
  }

  revoke(key: ApiKeyView): Observable<void> {
    return this.api.revoke(key.id).pipe(
      tap(() => {
        this.keysState.update((keys) => (keys ?? []).filter((k) => k.id !== key.id));
        if (this.createdState()?.id === key.id) this.createdState.set(null);
      }),
    );
  }
}
