import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { CreateWebhookRequest, WebhookDeliveryView, WebhookEndpointView } from '@contracts/api';
import { Observable, firstValueFrom } from 'rxjs';

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
  private readonly creatingState = signal(false);
  private readonly createErrorState = signal<string | null>(null);
  private readonly busyState = signal<string | null>(null);

  readonly endpoints = this.endpointsState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  readonly secret = this.secretState.asReadonly();
  /** The endpoint whose delivery log is shown. */
  readonly openEndpoint = this.openState.asReadonly();
  readonly deliveries = this.deliveriesState.asReadonly();
  readonly deliveriesError = this.deliveriesErrorState.asReadonly();
  /** A create request is in flight. */
  readonly creating = this.creatingState.asReadonly();
  /** Why the last create failed. */
  readonly createError = this.createErrorState.asReadonly();
  /** The id of the endpoint (or delivery) whose change is in flight. */
  readonly busy = this.busyState.asReadonly();

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

  /** Creates an endpoint and shows its secret; false (and `createError`) when the API refuses. */
  async create(request: CreateWebhookRequest): Promise<boolean> {
    this.creatingState.set(true);
    this.createErrorState.set(null);
    try {
      const res = await firstValueFrom(this.api.create(request));
      this.endpointsState.update((list) => [...(list ?? []), res.endpoint]);
      this.secretState.set({ url: res.endpoint.url, secret: res.secret });
      return true;
    } catch (error) {
      this.createErrorState.set(errorMessage(error, 'The webhook could not be created.'));
      return false;
    } finally {
      this.creatingState.set(false);
    }
  }

  /** The changes below reject with the HTTP error when the API refuses. */
  async setEnabled(endpoint: WebhookEndpointView, enabled: boolean): Promise<void> {
    this.replace(await this.busyWith(endpoint.id, this.api.update(endpoint.id, { enabled })));
  }

  async rotate(endpoint: WebhookEndpointView): Promise<void> {
    const res = await this.busyWith(endpoint.id, this.api.rotateSecret(endpoint.id));
    this.replace(res.endpoint);
    this.secretState.set({ url: res.endpoint.url, secret: res.secret });
  }

  async remove(endpoint: WebhookEndpointView): Promise<void> {
    await this.busyWith(endpoint.id, this.api.remove(endpoint.id));
    this.endpointsState.update((list) => (list ?? []).filter((e) => e.id !== endpoint.id));
    if (this.openState() === endpoint.id) this.closeDeliveries();
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

  async redeliver(endpointId: string, delivery: WebhookDeliveryView): Promise<void> {
    const updated = await this.busyWith(delivery.id, this.api.redeliver(endpointId, delivery.id));
    this.deliveriesState.update((list) => (list ?? []).map((d) => (d.id === updated.id ? updated : d)));
  }

  private replace(updated: WebhookEndpointView): void {
    this.endpointsState.update((list) => (list ?? []).map((e) => (e.id === updated.id ? updated : e)));
  }

  /** Marks `id` busy while the request runs. */
  private async busyWith<T>(id: string, request: Observable<T>): Promise<T> {
    this.busyState.set(id);
    try {
      return await firstValueFrom(request);
    } finally {
      this.busyState.set(null);
    }
  }
}
