import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { OrganizationSettingsView, UserRole } from '@contracts/api';

import { SessionStore } from '../auth/session-store';
import { aUser } from '../testing/builders';
import { SettingsPage } from './settings-page';

const URL = '/api/admin/settings';
const SETTINGS: OrganizationSettingsView = {
  monthly_budget_usd: 50,
  default_job_cap_usd: null,
  month: '2026-11',
  month_spent_usd: 12.3456,
};

describe('SettingsPage', () => {
  let fixture: ComponentFixture<SettingsPage>;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn> };

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
    el().querySelector<T>(`[data-testid="${id}"]`);
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (): void => fixture.detectChanges();
  /** Lets a request's promise settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    render();
  };
  const open = async (role: UserRole, settings: OrganizationSettingsView = SETTINGS): Promise<void> => {
    snack = { open: vi.fn() };
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: MatSnackBar, useValue: snack }],
    });
    TestBed.inject(SessionStore).signedInAs(aUser({ role }));
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SettingsPage);
    render();
    http.expectOne({ method: 'GET', url: URL }).flush(settings);
    await settle();
  };
  const type = (id: string, value: string): void => {
    const input = byTestId<HTMLInputElement>(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    render();
  };
  const save = (): void => {
    byTestId('settings-save')?.click();
    render();
  };

  afterEach(() => {
    // The API keys panel on this page loads its own list (api-keys/api-keys-panel.spec.ts).
    http.match({ method: 'GET', url: '/api/admin/api-keys' });
    // So does the webhooks panel, for owners (webhooks/webhooks-panel.spec.ts).
    http.match({ method: 'GET', url: '/api/admin/webhooks' });
    http.verify();
  });

  describe('for an owner', () => {
    it('shows this month’s spend and the two budgets in editable fields, empty for none', async () => {
      await open('owner');
      expect(text('settings-month-spent')).toBe('$12.35');
      expect(byTestId<HTMLInputElement>('settings-budget-input')?.value).toBe('50.00');
      expect(byTestId<HTMLInputElement>('settings-cap-input')?.value).toBe('');
      expect(byTestId('settings-read-only')).toBeNull();
    });

    it('saves both amounts, an emptied one as null, and shows what the API answered', async () => {
      await open('owner');
      type('settings-budget-input', '');
      type('settings-cap-input', '2.5');
      save();
      const request = http.expectOne({ method: 'PUT', url: URL });
      expect(request.request.body).toEqual({ monthly_budget_usd: null, default_job_cap_usd: 2.5 });
      request.flush({ ...SETTINGS, monthly_budget_usd: null, default_job_cap_usd: 2.5 });
      await settle();
      expect(byTestId<HTMLInputElement>('settings-cap-input')?.value).toBe('2.50');
      expect(snack.open).toHaveBeenCalledWith('Settings saved', undefined, { duration: 4000 });
    });

    it('explains an amount it cannot take and does not save it', async () => {
      await open('owner');
      type('settings-budget-input', '0.001');
      expect(text('settings-budget-input-error')).toBe('Use at most 2 decimals');
      type('settings-cap-input', '0');
      expect(text('settings-cap-input-error')).toBe('Enter at least $0.01');
      expect(byTestId<HTMLButtonElement>('settings-save')?.disabled).toBe(true);
    });

    it('shows the API’s validation message (400)', async () => {
      await open('owner');
      save();
      http
        .expectOne({ method: 'PUT', url: URL })
        .flush(
          { statusCode: 400, message: ['monthly_budget_usd must be at most 1000000'], error: 'Bad Request' },
          { status: 400, statusText: 'Bad Request' },
        );
      await settle();
      expect(text('settings-save-error')).toBe('monthly_budget_usd must be at most 1000000');
    });

    it('shows a refusal of the API (403) as it says', async () => {
      await open('owner');
      save();
      http
        .expectOne({ method: 'PUT', url: URL })
        .flush(
          { statusCode: 403, message: 'Only owners can change the settings', error: 'Forbidden' },
          { status: 403, statusText: 'Forbidden' },
        );
      await settle();
      expect(text('settings-save-error')).toBe('Only owners can change the settings');
    });
  });

  describe('for an admin', () => {
    it('shows the budgets read-only, "none" when unset', async () => {
      await open('admin');
      expect(byTestId('settings-form')).toBeNull();
      expect(text('settings-budget')).toBe('$50.00');
      expect(text('settings-cap')).toBe('none');
      expect(text('settings-read-only')).toBe("Only the organization's owners can change these.");
    });
  });

  it('says when the settings cannot be loaded', async () => {
    snack = { open: vi.fn() };
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: MatSnackBar, useValue: snack }],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SettingsPage);
    render();
    http
      .expectOne(URL)
      .flush({ statusCode: 500, message: 'Internal server error' }, { status: 500, statusText: 'Error' });
    await settle();
    expect(text('settings-load-error')).toBe('Internal server error');
  });
});
