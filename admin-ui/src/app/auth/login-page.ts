import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';

import { errorMessage, httpStatus } from '../shared/api-error';
import { safeReturnUrl } from './return-url';
import { SessionStore } from './session-store';

@Component({
  selector: 'cl-login-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  template: `
    <main class="login">
      <mat-card appearance="outlined" class="card">
        <mat-card-header>
          <mat-card-title><h1>Sign in to Courseloom</h1></mat-card-title>
        </mat-card-header>
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="submit()" data-testid="login-form">
            <mat-form-field appearance="outline">
              <mat-label>Email</mat-label>
              <input
                matInput
                type="email"
                formControlName="email"
                autocomplete="username"
                data-testid="login-email"
                required
              />
              @if (form.controls.email.hasError('email')) {
                <mat-error>Enter an email address.</mat-error>
              }
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>Password</mat-label>
              <input
                matInput
                type="password"
                formControlName="password"
                autocomplete="current-password"
                data-testid="login-password"
                required
              />
            </mat-form-field>
            @if (error()) {
              <p class="error" role="alert" data-testid="login-error">{{ error() }}</p>
            }
            <button
              matButton="filled"
              type="submit"
              [disabled]="busy() || form.invalid"
              data-testid="login-submit"
            >
              Sign in
            </button>
          </form>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .login {
      display: grid;
      place-items: center;
      min-height: 100vh;
      padding: 16px;
      box-sizing: border-box;
    }
    .card {
      width: min(420px, 100%);
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding-top: 8px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0 0 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  /** `?returnUrl=` — where the user was when the sign-in was asked for. */
  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.busy()) {
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.session.signIn(this.form.getRawValue());
    } catch (error) {
      this.busy.set(false);
      this.error.set(
        httpStatus(error) === 401
          ? 'Wrong email or password.'
          : errorMessage(error, 'Sign-in failed. Try again.'),
      );
      return;
    }
    // Still busy: the page is being left.
    void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }
}
