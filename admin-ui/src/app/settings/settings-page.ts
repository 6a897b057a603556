import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { OrganizationSettingsView } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';

import { SessionStore } from '../auth/session-store';
import { errorMessage } from '../shared/api-error';
import { SETTING_RULES, parseUsd, usdSetting } from '../shared/budget';
import { formatCost } from '../shared/cost';
import { CostCapField } from '../shared/cost-cap-field';
import { ApiKeysPanel } from './api-keys/api-keys-panel';
import { WebhooksPanel } from './webhooks/webhooks-panel';
import { SettingsApi } from './settings-api';

/**
 * `/admin/settings`: the organization's monthly model budget and default job cost cap, and this month's spend
 * (docs/costs.md, "Budgets and estimates"). Owners edit; admins read (the API answers their PUT with 403).
 */
@Component({
  selector: 'cl-settings-page',
  imports: [MatButtonModule, MatProgressBarModule, CostCapField, ApiKeysPanel, WebhooksPanel],
  templateUrl: './settings-page.html',
  styles: `
    .facts {
      display: grid;
      grid-template-columns: max-content auto;
      gap: 8px 24px;
      margin: 16px 0;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      font-weight: 500;
    }
    .form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 480px;
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
export class SettingsPage {
  private readonly api = inject(SettingsApi);
  private readonly session = inject(SessionStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly rules = SETTING_RULES;
  protected readonly settings = signal<OrganizationSettingsView | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly budgetText = signal('');
  protected readonly capText = signal('');

  /** Only owners change budgets; the API refuses anyone else, so admins get the read-only view. */
  protected readonly canEdit = computed(() => this.session.user()?.role === 'owner');
  protected readonly budget = computed(() => parseUsd(this.budgetText(), SETTING_RULES));
  protected readonly cap = computed(() => parseUsd(this.capText(), SETTING_RULES));
  protected readonly invalid = computed(() => this.budget().error !== null || this.cap().error !== null);
  protected readonly usd = usdSetting;
  protected readonly formatCost = formatCost;

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const settings = await firstValueFrom(this.api.get().pipe(takeUntilDestroyed(this.destroyRef)), {
        defaultValue: null,
      });
      if (settings) {
        this.show(settings);
      }
    } catch (error) {
      this.loadError.set(errorMessage(error, 'The settings could not be loaded.'));
    }
  }

  protected async save(): Promise<void> {
    if (this.invalid() || !this.canEdit()) {
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    try {
      // Leaving the page cancels the request (no answer, defaultValue null): nothing to show then.
      const settings = await firstValueFrom(
        this.api
          .save({ monthly_budget_usd: this.budget().value, default_job_cap_usd: this.cap().value })
          .pipe(takeUntilDestroyed(this.destroyRef)),
        { defaultValue: null },
      );
      this.saving.set(false);
      if (settings) {
        this.show(settings);
        this.snackBar.open('Settings saved', undefined, { duration: 4000 });
      }
    } catch (error) {
      this.saving.set(false);
      this.saveError.set(errorMessage(error, 'The settings could not be saved.'));
    }
  }

  private show(settings: OrganizationSettingsView): void {
    this.settings.set(settings);
    this.budgetText.set(amountText(settings.monthly_budget_usd));
    this.capText.set(amountText(settings.default_job_cap_usd));
  }
}

function amountText(usd: number | null): string {
  return usd === null ? '' : usd.toFixed(2);
}
