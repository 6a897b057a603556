import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { WebhookDeliveryView, WebhookEndpointView } from '@contracts/api';
import { WEBHOOK_EVENT_TYPES, type UserRole } from '@contracts/api';
import { of } from 'rxjs';

import { SessionStore } from '../../auth/session-store';
import type { ConfirmData } from '../../shared/confirm-dialog';
import { aUser } from '../../testing/builders';
import { WebhooksPanel } from './webhooks-panel';

const URL = '/api/admin/webhooks';

function anEndpoint(overrides: Partial<WebhookEndpointView> = {}): WebhookEndpointView {
  return {
    id: 'w-1',
    url: 'https://hooks.example.com/courseloom',
    description: 'LMS sync',
    events: ['course.published'],
    enabled: true,
    disabled_reason: null,
    disabled_at: null,
    consecutive_failures: 0,
    created_at: '2026-11-02T09:00:00Z',
    updated_at: '2026-11-02T09:00:00Z',
    ...overrides,
  };
}

function aDelivery(overrides: Partial<WebhookDeliveryView> = {}): WebhookDeliveryView {
  return {
    id: 'd-1',
    webhook_id: 'msg_d1',
    event_type: 'course.published',
    status: 'failed',
    attempts: 12,
    response_status: 500,
    duration_ms: 42,
    last_error: 'HTTP 500',
    created_at: '2026-11-02T09:00:00Z',
    last_attempt_at: '2026-11-03T09:00:00Z',
    delivered_at: null,
    ...overrides,
  };
}

describe('WebhooksPanel', () => {
  let fixture: ComponentFixture<WebhooksPanel>;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn> };
  let asked: ConfirmData[];

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
    el().querySelector<T>(`[data-testid="${id}"]`);
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (): void => fixture.detectChanges();
  /** Lets promises (a confirmation, a request) settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    render();
  };
  const click = (id: string): void => {
    byTestId(id)?.click();
    render();
  };
  const type = (id: string, value: string): void => {
    const input = byTestId<HTMLInputElement>(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    render();
  };
  const open = (role: UserRole, endpoints: WebhookEndpointView[] = [anEndpoint()]): void => {
    snack = { open: vi.fn() };
    asked = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snack },
        { provide: Clipboard, useValue: { copy: vi.fn(() => true) } },
        {
          provide: MatDialog,
          useValue: {
            open: (_: unknown, config: { data: ConfirmData }) => {
              asked.push(config.data);
              return { afterClosed: () => of(true) };
            },
          },
        },
      ],
    });
    TestBed.inject(SessionStore).signedInAs(aUser({ role }));
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WebhooksPanel);
    render();
    if (role === 'owner') http.expectOne({ method: 'GET', url: URL }).flush({ endpoints });
    render();
  };

  afterEach(() => http.verify());

  describe('for an owner', () => {
    it('lists the endpoints with their events', () => {
      open('owner');
      expect(text('webhook-endpoint-url')).toBe('https://hooks.example.com/courseloom');
      expect(text('webhook-endpoint-events')).toBe('course.published');
      expect(byTestId('webhook-disabled-notice')).toBeNull();
    });

    it('creates an endpoint with the events picked and shows its secret once, until dismissed', async () => {
      open('owner', []);
      expect(text('webhooks-empty')).toBe('No webhooks yet.');
      type('webhook-url', 'https://hooks.example.com/new');
      for (const type of WEBHOOK_EVENT_TYPES.filter((t) => t !== 'job.failed'))
        byTestId(`webhook-event-${type}`)?.querySelector('input')?.click();
      render();
      click('webhook-create');
      const request = http.expectOne({ method: 'POST', url: URL });
      expect(request.request.body).toEqual({ url: 'https://hooks.example.com/new', events: ['job.failed'] });
      request.flush({
        endpoint: anEndpoint({ url: 'https://hooks.example.com/new', events: ['job.failed'] }),
        secret: 'whsec_c2VjcmV0',
      });
      await settle();
      expect(text('webhook-secret')).toBe('whsec_c2VjcmV0');
      click('webhook-secret-dismiss');
      expect(byTestId('webhook-secret-box')).toBeNull();
      expect(el().textContent).not.toContain('whsec_c2VjcmV0');
    });

    it('does not create without a valid http(s) URL or without events', () => {
      open('owner', []);
      type('webhook-url', 'ftp://example.com');
      expect(byTestId<HTMLButtonElement>('webhook-create')?.disabled).toBe(true);
    });

    it('shows the API’s refusal of a URL (400)', async () => {
      open('owner', []);
      type('webhook-url', 'http://127.0.0.1/x');
      click('webhook-create');
      http
        .expectOne({ method: 'POST', url: URL })
        .flush(
          { statusCode: 400, message: 'url: 127.0.0.1 resolves to a private address', error: 'Bad Request' },
          { status: 400, statusText: 'Bad Request' },
        );
      await settle();
      expect(text('webhook-create-error')).toBe('url: 127.0.0.1 resolves to a private address');
    });

    it('shows why an endpoint was disabled, and enables it again', async () => {
      open('owner', [
        anEndpoint({
          enabled: false,
          disabled_reason: 'Disabled after 20 deliveries in a row failed',
          disabled_at: '2026-11-02T09:00:00Z',
        }),
      ]);
      expect(text('webhook-disabled-notice')).toContain('Disabled after 20 deliveries in a row failed');
      click('webhook-enable');
      const request = http.expectOne({ method: 'PATCH', url: `${URL}/w-1` });
      expect(request.request.body).toEqual({ enabled: true });
      request.flush(anEndpoint());
      await settle();
      expect(byTestId('webhook-disabled-notice')).toBeNull();
    });

    it('rotates the secret after confirmation and shows the new one', async () => {
      open('owner');
      click('webhook-rotate');
      expect(asked[0].title).toBe('Rotate the signing secret?');
      await settle();
      http
        .expectOne({ method: 'POST', url: `${URL}/w-1/rotate-secret` })
        .flush({ endpoint: anEndpoint(), secret: 'whsec_bmV3' });
      await settle();
      expect(text('webhook-secret')).toBe('whsec_bmV3');
    });

    it('deletes after confirmation', async () => {
      open('owner');
      click('webhook-delete');
      await settle();
      http
        .expectOne({ method: 'DELETE', url: `${URL}/w-1` })
        .flush(null, { status: 204, statusText: 'No Content' });
      await settle();
      expect(byTestId('webhook-endpoint')).toBeNull();
    });

    it('shows the delivery log and redelivers a failed delivery', async () => {
      open('owner');
      click('webhook-deliveries-toggle');
      http
        .expectOne({ method: 'GET', url: `${URL}/w-1/deliveries` })
        .flush({ deliveries: [aDelivery()], total: 1, page: 1, page_size: 50 });
      render();
      expect(text('webhook-delivery-status')).toBe('failed');
      click('webhook-redeliver');
      http
        .expectOne({ method: 'POST', url: `${URL}/w-1/deliveries/d-1/redeliver` })
        .flush(aDelivery({ status: 'pending' }));
      await settle();
      expect(text('webhook-delivery-status')).toBe('pending');
      expect(byTestId<HTMLButtonElement>('webhook-redeliver')?.disabled).toBe(true);
      expect(snack.open).toHaveBeenCalledWith('Redelivery queued', undefined, { duration: 4000 });
    });
  });

  describe('for an admin', () => {
    it('says only owners manage webhooks and asks the API nothing', () => {
      open('admin');
      expect(text('webhooks-read-only')).toBe("Only the organization's owners manage webhooks.");
    });
  });
});
