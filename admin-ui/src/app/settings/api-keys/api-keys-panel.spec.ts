import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ApiKeyView, CreatedApiKey, UserRole } from '@contracts/api';
import { of } from 'rxjs';

import { SessionStore } from '../../auth/session-store';
import type { ConfirmData } from '../../shared/confirm-dialog';
import { aUser } from '../../testing/builders';
import { ApiKeysPanel } from './api-keys-panel';

const URL = '/api/admin/api-keys';

function aKey(overrides: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id: 'k-1',
    name: 'CI pipeline',
    role: 'admin',
    prefix: 'clk_3f9a1c2b7d4e',
    created_at: '2026-11-02T09:00:00Z',
    last_used_at: null,
    created_by: { id: 'u-1', email: 'owner@example.test' },
    ...overrides,
  };
}

describe('ApiKeysPanel', () => {
  let fixture: ComponentFixture<ApiKeysPanel>;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn> };
  let clipboard: { copy: ReturnType<typeof vi.fn> };
  let asked: ConfirmData[];
  let confirmAnswer: boolean;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
    el().querySelector<T>(`[data-testid="${id}"]`);
  const allByTestId = (id: string): HTMLElement[] =>
    Array.from(el().querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (): void => fixture.detectChanges();
  /** Lets promises (a confirmation, a request) settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    render();
  };
  const open = (role: UserRole, keys: ApiKeyView[] = [aKey()]): void => {
    snack = { open: vi.fn() };
    clipboard = { copy: vi.fn(() => true) };
    asked = [];
    confirmAnswer = true;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snack },
        { provide: Clipboard, useValue: clipboard },
        {
          provide: MatDialog,
          useValue: {
            open: (_: unknown, config: { data: ConfirmData }) => {
              asked.push(config.data);
              return { afterClosed: () => of(confirmAnswer) };
            },
          },
        },
      ],
    });
    TestBed.inject(SessionStore).signedInAs(aUser({ role }));
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ApiKeysPanel);
    render();
    http.expectOne({ method: 'GET', url: URL }).flush({ api_keys: keys });
    render();
  };
  const type = (id: string, value: string): void => {
    const input = byTestId<HTMLInputElement>(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    render();
  };
  const choose = (id: string, value: string): void => {
    const select = byTestId<HTMLSelectElement>(id) as HTMLSelectElement;
    select.value = value;
    select.dispatchEvent(new Event('change'));
    render();
  };
  const click = (id: string): void => {
    byTestId(id)?.click();
    render();
  };

  afterEach(() => http.verify());

  describe('for an owner', () => {
    it('lists the keys by name, role, prefix and last use, never with a secret', () => {
      open('owner', [
        aKey(),
        aKey({ id: 'k-2', name: 'Reports', role: 'owner', last_used_at: new Date().toISOString() }),
      ]);
      expect(allByTestId('api-key-name-cell').map((c) => c.textContent?.trim())).toEqual([
        'CI pipeline',
        'Reports',
      ]);
      expect(allByTestId('api-key-last-used').map((c) => c.textContent?.trim())).toEqual([
        'never',
        'just now',
      ]);
      expect(text('api-keys-table')).toContain('clk_3f9a1c2b7d4e…');
      expect(text('api-keys-table')).toContain('owner@example.test');
    });

    it('says when there is no key yet', () => {
      open('owner', []);
      expect(text('api-keys-empty')).toBe('No API keys yet.');
    });

    it('creates a key with a name and role, then shows the key once with a copy button', async () => {
      open('owner', []);
      expect(byTestId<HTMLButtonElement>('api-key-create')?.disabled).toBe(true);
      type('api-key-name', '  Deployer ');
      choose('api-key-role', 'owner');
      click('api-key-create');

      const request = http.expectOne({ method: 'POST', url: URL });
      expect(request.request.body).toEqual({ name: 'Deployer', role: 'owner' });
      const created: CreatedApiKey = {
        ...aKey({ id: 'k-9', name: 'Deployer', role: 'owner' }),
        key: 'clk_3f9a1c2b7d4e_secretpart',
      };
      request.flush(created);
      await settle();

      expect(text('api-key-secret')).toBe('clk_3f9a1c2b7d4e_secretpart');
      expect(byTestId<HTMLInputElement>('api-key-name')?.value).toBe('');
      expect(allByTestId('api-key-name-cell').map((c) => c.textContent?.trim())).toEqual(['Deployer']);
      expect(text('api-keys-table')).not.toContain('secretpart');

      click('api-key-copy');
      expect(clipboard.copy).toHaveBeenCalledWith('clk_3f9a1c2b7d4e_secretpart');
      expect(snack.open).toHaveBeenCalledWith('API key copied', undefined, { duration: 4000 });

      click('api-key-dismiss');
      expect(byTestId('api-key-created')).toBeNull();
      expect(el().textContent).not.toContain('secretpart');
    });

    it('shows the API’s validation message (400) and keeps what was typed', async () => {
      open('owner', []);
      type('api-key-name', 'CI');
      click('api-key-create');
      http
        .expectOne({ method: 'POST', url: URL })
        .flush(
          { statusCode: 400, message: ['name must not contain control characters'], error: 'Bad Request' },
          { status: 400, statusText: 'Bad Request' },
        );
      await settle();
      expect(text('api-key-create-error')).toBe('name must not contain control characters');
      expect(byTestId<HTMLInputElement>('api-key-name')?.value).toBe('CI');
      expect(byTestId('api-key-created')).toBeNull();
    });

    it('revokes a key after confirming, and removes it from the list', async () => {
      open('owner');
      click('api-key-revoke');
      await settle();
      expect(asked).toEqual([
        {
          title: 'Revoke API key?',
          message:
            'Requests with “CI pipeline” (clk_3f9a1c2b7d4e…) are refused from now on. This cannot be undone.',
          confirmLabel: 'Revoke',
        },
      ]);
      http
        .expectOne({ method: 'DELETE', url: `${URL}/k-1` })
        .flush(null, { status: 204, statusText: 'No Content' });
      await settle();
      expect(text('api-keys-empty')).toBe('No API keys yet.');
      expect(snack.open).toHaveBeenCalledWith('Revoked “CI pipeline”', undefined, { duration: 4000 });
    });

    it('keeps the key when the revocation is not confirmed', async () => {
      open('owner');
      confirmAnswer = false;
      click('api-key-revoke');
      await settle();
      http.expectNone({ method: 'DELETE', url: `${URL}/k-1` });
      expect(allByTestId('api-key-name-cell')).toHaveLength(1);
    });
  });

  describe('for an admin', () => {
    it('shows the list without the form or revoke buttons', () => {
      open('admin');
      expect(byTestId('api-key-form')).toBeNull();
      expect(byTestId('api-key-revoke')).toBeNull();
      expect(allByTestId('api-key-name-cell')).toHaveLength(1);
      expect(text('api-keys-read-only')).toBe("Only the organization's owners create and revoke API keys.");
    });
  });
});
