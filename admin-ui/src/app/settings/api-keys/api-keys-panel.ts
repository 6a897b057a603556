import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { API_KEY_NAME_MAX, type ApiKeyView, type UserRole } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
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
import { ApiKeysStore } from './api-keys-store';

/**
 * Settings → API keys (docs/accounts-and-curriculum.md#api-keys): the organization's keys for machines. Owners
 * create one (its secret shown once, with a copy button) and revoke them; admins see the list.
 */
@Component({
  selector: 'cl-api-keys-panel',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatTableModule],
  providers: [ApiKeysStore],
  templateUrl: './api-keys-panel.html',
  styles: `
    .form {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px 16px;
    }
    .created {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 12px 16px;
      margin: 16px 0;
    }
    .created code {
      display: block;
      word-break: break-all;
      padding: 8px 0;
    }
    table {
      margin: 8px 0 16px;
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
export class ApiKeysPanel {
  private readonly store = inject(ApiKeysStore);
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly nameMax = API_KEY_NAME_MAX;
  protected readonly columns = ['name', 'role', 'prefix', 'created', 'last_used', 'created_by', 'actions'];
  protected readonly keys = this.store.keys;
  protected readonly loadError = this.store.loadError;
  protected readonly created = this.store.created;
  protected readonly name = signal('');
  protected readonly role = signal<UserRole>('admin');
  protected readonly creating = this.store.creating;
  protected readonly createError = this.store.createError;
  protected readonly revoking = this.store.revoking;

  /** The API refuses anyone else; admins get the list only. */
  protected readonly canManage = computed(() => this.session.user()?.role === 'owner');
  protected readonly nameValid = computed(() => {
    const name = this.name().trim();
    return name.length > 0 && name.length <= API_KEY_NAME_MAX;
  });
  protected readonly relativeTime = relativeTime;

  constructor() {
    this.store.load();
  }

  protected setRole(value: string): void {
    this.role.set(value === 'owner' ? 'owner' : 'admin');
  }

  protected async create(): Promise<void> {
    if (!this.canManage() || !this.nameValid() || this.creating()) {
      return;
    }
    if (await this.store.create({ name: this.name().trim(), role: this.role() })) {
      this.name.set('');
    }
  }

  protected copy(key: string): void {
    const copied = this.clipboard.copy(key);
    this.snackBar.open(copied ? 'API key copied' : 'Could not copy: select the key and copy it', undefined, {
      duration: 4000,
    });
  }

  protected dismiss(): void {
    this.store.dismissCreated();
  }

  protected async revoke(key: ApiKeyView): Promise<void> {
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: 'Revoke API key?',
        message: `Requests with “${key.name}” (${key.prefix}…) are refused from now on. This cannot be undone.`,
        confirmLabel: 'Revoke',
      }),
      { defaultValue: false },
    );
    if (!confirmed) {
      return;
    }
    try {
      await this.store.revoke(key);
      this.snackBar.open(`Revoked “${key.name}”`, undefined, { duration: 4000 });
    } catch (error) {
      this.snackBar.open(errorMessage(error, 'The API key could not be revoked.'), undefined, {
        duration: 6000,
      });
    }
  }
}
