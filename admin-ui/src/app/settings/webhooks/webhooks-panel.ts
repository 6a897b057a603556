import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEventType,
} from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';

import { SessionStore } from '../../auth/session-store';
import { errorMessage } from '../../shared/api-error';
import { confirmAction } from '../../shared/confirm-dialog';
import { relativeTime } from '../../shared/format';
import { WebhooksStore } from './webhooks-store';

const isHttpUrl = (text: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

/**
 * Settings → Webhooks (docs/webhooks.md): owners register endpoints for job and course events, see each one's
 * signing secret once, enable/disable, rotate, delete, and read its delivery log with Redeliver. An endpoint the
 * product disabled after failed deliveries shows why. Admins see a note only (the API is for owners).
 */
@Component({
  selector: 'cl-webhooks-panel',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
  ],
  providers: [WebhooksStore],
  templateUrl: './webhooks-panel.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 640px;
    }
    .events {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
    }
    .secret,
    .endpoint {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 12px 16px;
      margin: 12px 0;
    }
    .secret code {
      display: block;
      word-break: break-all;
      padding: 8px 0;
    }
    .endpoint-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px 16px;
    }
    .url {
      font-weight: 500;
      word-break: break-all;
    }
    .disabled-notice {
      color: var(--mat-sys-error);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPanel {
  private readonly store = inject(WebhooksStore);
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly eventTypes = WEBHOOK_EVENT_TYPES;
  protected readonly deliveryColumns = [
    'event',
    'status',
    'response',
    'duration',
    'attempts',
    'when',
    'actions',
  ];
  protected readonly endpoints = this.store.endpoints;
  protected readonly loadError = this.store.loadError;
  protected readonly secret = this.store.secret;
  protected readonly openEndpoint = this.store.openEndpoint;
  protected readonly deliveries = this.store.deliveries;
  protected readonly deliveriesError = this.store.deliveriesError;
  protected readonly url = signal('');
  protected readonly description = signal('');
  protected readonly events = signal<ReadonlySet<WebhookEventType>>(new Set(WEBHOOK_EVENT_TYPES));
  protected readonly creating = this.store.creating;
  protected readonly createError = this.store.createError;
  protected readonly busy = this.store.busy;

  protected readonly isOwner = computed(() => this.session.user()?.role === 'owner');
  protected readonly urlValid = computed(() => isHttpUrl(this.url().trim()));
  protected readonly canCreate = computed(
    () => this.urlValid() && this.events().size > 0 && !this.creating(),
  );
  protected readonly relativeTime = relativeTime;

  constructor() {
    if (this.isOwner()) this.store.load();
  }

  protected toggleEvent(type: WebhookEventType, on: boolean): void {
    this.events.update((set) => {
      const next = new Set(set);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  protected async create(): Promise<void> {
    if (!this.canCreate()) {
      return;
    }
    const description = this.description().trim();
    const created = await this.store.create({
      url: this.url().trim(),
      events: WEBHOOK_EVENT_TYPES.filter((t) => this.events().has(t)),
      ...(description ? { description } : {}),
    });
    if (created) {
      this.url.set('');
      this.description.set('');
    }
  }

  protected copy(secret: string): void {
    const copied = this.clipboard.copy(secret);
    this.snackBar.open(
      copied ? 'Secret copied' : 'Could not copy: select the secret and copy it',
      undefined,
      {
        duration: 4000,
      },
    );
  }

  protected dismissSecret(): void {
    this.store.dismissSecret();
  }

  protected setEnabled(endpoint: WebhookEndpointView, enabled: boolean): Promise<void> {
    return this.run(() => this.store.setEnabled(endpoint, enabled), enabled ? 'Enabled' : 'Disabled');
  }

  protected rotate(endpoint: WebhookEndpointView): Promise<void> {
    return this.confirmThen(
      {
        title: 'Rotate the signing secret?',
        message: `Deliveries to ${endpoint.url} are signed with a new secret from now on; the old one stops verifying at once.`,
        confirmLabel: 'Rotate',
      },
      () => this.store.rotate(endpoint),
      'Secret rotated',
    );
  }

  protected remove(endpoint: WebhookEndpointView): Promise<void> {
    return this.confirmThen(
      {
        title: 'Delete webhook?',
        message: `${endpoint.url} receives nothing more, and its delivery log is deleted. This cannot be undone.`,
        confirmLabel: 'Delete',
      },
      () => this.store.remove(endpoint),
      'Webhook deleted',
    );
  }

  protected toggleDeliveries(endpoint: WebhookEndpointView): void {
    if (this.openEndpoint() === endpoint.id) this.store.closeDeliveries();
    else this.store.openDeliveries(endpoint.id);
  }

  protected refreshDeliveries(endpoint: WebhookEndpointView): void {
    this.store.openDeliveries(endpoint.id);
  }

  protected redeliver(endpoint: WebhookEndpointView, delivery: WebhookDeliveryView): Promise<void> {
    return this.run(() => this.store.redeliver(endpoint.id, delivery), 'Redelivery queued');
  }

  protected canRedeliver(endpoint: WebhookEndpointView, delivery: WebhookDeliveryView): boolean {
    return endpoint.enabled && (delivery.status === 'succeeded' || delivery.status === 'failed');
  }

  private async confirmThen(
    data: { title: string; message: string; confirmLabel: string },
    action: () => Promise<void>,
    done: string,
  ): Promise<void> {
    if (await firstValueFrom(confirmAction(this.dialog, data), { defaultValue: false })) {
      await this.run(action, done);
    }
  }

  /** The store marks the row busy while the request runs; the outcome shows in a snack bar. */
  private async run(action: () => Promise<void>, done: string): Promise<void> {
    try {
      await action();
      this.snackBar.open(done, undefined, { duration: 4000 });
    } catch (error) {
      this.snackBar.open(errorMessage(error, 'The webhook could not be changed.'), undefined, {
        duration: 6000,
      });
    }
  }
}
