import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  CreateWebhookRequest,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookSecretResponse,
} from '@contracts/api';
import { Observable, tap } from 'rxjs';

import { errorMessage } from '../../shared/api-error';
import { WebhooksApi } from './webhooks-api';

/** A signing secret just issued (created or rotated), held only until the owner dismisses it. */
export interface ShownSecret {
  url: string;
  secret: string;
}

/**
 * The organization's webhook endpoints for one panel (provided by the component), and the delivery log of the one
 * endpoint opened. Secrets are never fetched again once dismissed.
 */
@Injectable()
export class WebhooksStore {
  private readonly api = inject(WebhooksApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly endpointsState = signal<WebhookEndpointView[] | null>(null);
  private readonly loadErrorState = signal<string | null>(null);
  private readonly secretState = signal<ShownSecret | null>(null);
  private readonly openState = signal<string | null>(null);
  private readonly deliveriesState = signal<WebhookDeliveryView[] | null>(null);
  private readonly deliveriesErrorState = signal<string | null>(null);

  readonly endpoints = this.endpointsState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  readonly secret = this.secretState.asReadonly();
  /** The endpoint whose delivery log is shown. */
  readonly openEndpoint = this.openState.asReadonly();
  readonly deliveries = this.deliveriesState.asReadonly();
  readonly deliveriesError = this.deliveriesErrorState.asReadonly();

  load(): void {
    this.api
      .list()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (res) => {
          this.loadErrorState.set(null);
          this.endpointsState.set(res.endpoints);
        },
        error: (error: unknown) =>
          this.loadErrorState.set(errorMessage(error, 'The webhooks could not be loaded.')),
      });
  }

  create(request: CreateWebhookRequest): Observable<WebhookSecretResponse> {
    return this.api.create(request).pipe(
      tap((res) => {
        this.endpointsState.update((list) => [...(list ?? []), res.endpoint]);
        this.secretState.set({ url: res.endpoint.url, secret: res.secret });
      }),
    );
  }

  setEnabled(endpoint: WebhookEndpointView, enabled: boolean): Observable<WebhookEndpointView> {
    return this.api.update(endpoint.id, { enabled }).pipe(tap((updated) => this.replace(updated)));
  }

  rotate(endpoint: WebhookEndpointView): Observable<WebhookSecretResponse> {
    return this.api.rotateSecret(endpoint.id).pipe(
      tap((res) => {
        this.replace(res.endpoint);
        this.secretState.set({ url: res.endpoint.url, secret: res.secret });
      }),
    );
  }

  remove(endpoint: WebhookEndpointView): Observable<void> {
    return this.api.remove(endpoint.id).pipe(
      tap(() => {
        this.endpointsState.update((list) => (list ?? []).filter((e) => e.id !== endpoint.id));
        if (this.openState() === endpoint.id) this.closeDeliveries();
      }),
    );
  }

  dismissSecret(): void {
    this.secretState.set(null);
  }

  /** Shows (or refreshes) the delivery log of an endpoint. */
  openDeliveries(endpointId: string): void {
    if (this.openState() !== endpointId) this.deliveriesState.set(null);
    this.openState.set(endpointId);
    this.deliveriesErrorState.set(null);
    this.api
      .deliveries(endpointId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (res) => {
          if (this.openState() === endpointId) this.deliveriesState.set(res.deliveries);
        },
        error: (error: unknown) =>
          this.deliveriesErrorState.set(errorMessage(error, 'The delivery log could not be loaded.')),
      });
  }

  closeDeliveries(): void {
    this.openState.set(null);
    this.deliveriesState.set(null);
  }

  redeliver(endpointId: string, delivery: WebhookDeliveryView): Observable<WebhookDeliveryView> {
    return this.api
      .redeliver(endpointId, delivery.id)
      .pipe(
        tap((updated) =>
          this.deliveriesState.update((list) => (list ?? []).map((d) => (d.id === updated.id ? updated : d))),
        ),
      );
  }

  private replace(updated: WebhookEndpointView): void {
    this.endpointsState.update((list) => (list ?? []).map((e) => (e.id === updated.id ? updated : e)));
  }
}
