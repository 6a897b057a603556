import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from '@contracts/api';
import { firstValueFrom } from 'rxjs';

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
  private readonly creatingState = signal(false);
  private readonly createErrorState = signal<string | null>(null);
  private readonly revokingState = signal<string | null>(null);

  readonly keys = this.keysState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  /** The key just created, with its secret, until dismissed. */
  readonly created = this.createdState.asReadonly();
  /** A create request is in flight. */
  readonly creating = this.creatingState.asReadonly();
  /** Why the last create failed. */
  readonly createError = this.createErrorState.asReadonly();
  /** The id of the key whose revoke request is in flight. */
  readonly revoking = this.revokingState.asReadonly();

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

  /** Creates a key and shows its secret; false (and `createError`) when the API refuses. */
  async create(request: CreateApiKeyRequest): Promise<boolean> {
    this.creatingState.set(true);
    this.createErrorState.set(null);
    try {
      const created = await firstValueFrom(this.api.create(request));
      const { key: _secret, ...view } = created;
      this.keysState.update((keys) => [...(keys ?? []), view]);
      this.createdState.set(created);
      return true;
    } catch (error) {
      this.createErrorState.set(errorMessage(error, 'The API key could not be created.'));
      return false;
    } finally {
      this.creatingState.set(false);
    }
  }

  dismissCreated(): void {
    this.createdState.set(null);
  }

  /** Revokes a key; rejects with the HTTP error when the API refuses. */
  async revoke(key: ApiKeyView): Promise<void> {
    this.revokingState.set(key.id);
    try {
      await firstValueFrom(this.api.revoke(key.id), { defaultValue: undefined });
      this.keysState.update((keys) => (keys ?? []).filter((k) => k.id !== key.id));
      if (this.createdState()?.id === key.id) this.createdState.set(null);
    } finally {
      this.revokingState.set(null);
    }
  }
}
