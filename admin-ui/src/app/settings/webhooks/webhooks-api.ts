import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeliveryListResponse,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookListResponse,
  WebhookSecretResponse,
} from '@contracts/api';
import { Observable } from 'rxjs';

const URL = '/api/admin/webhooks';
const one = (id: string): string => `${URL}/${encodeURIComponent(id)}`;

/** Webhook endpoints and their delivery logs (docs/webhooks.md): owners only, the API answers others 403. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  list(): Observable<WebhookListResponse> {
    return this.http.get<WebhookListResponse>(URL);
  }

  create(request: CreateWebhookRequest): Observable<WebhookSecretResponse> {
    return this.http.post<WebhookSecretResponse>(URL, request);
  }

  update(id: string, request: UpdateWebhookRequest): Observable<WebhookEndpointView> {
    return this.http.patch<WebhookEndpointView>(one(id), request);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(one(id));
  }

  rotateSecret(id: string): Observable<WebhookSecretResponse> {
    return this.http.post<WebhookSecretResponse>(`${one(id)}/rotate-secret`, {});
  }

  deliveries(id: string): Observable<WebhookDeliveryListResponse> {
    return this.http.get<WebhookDeliveryListResponse>(`${one(id)}/deliveries`);
  }

  redeliver(id: string, deliveryId: string): Observable<WebhookDeliveryView> {
    return this.http.post<WebhookDeliveryView>(
      `${one(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      {},
    );
  }
}
