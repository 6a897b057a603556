import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { LoginRequest, UserView } from '@contracts/api';
import { Observable, catchError, finalize, firstValueFrom, map, of, share, throwError } from 'rxjs';

import { AuthApi } from './auth-api';

/** Who is signed in. `undefined` = not asked yet; `null` = signed out. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(AuthApi);
  private readonly state = signal<UserView | null | undefined>(undefined);
  private pending: Observable<UserView | null> | null = null;

  readonly user = computed(() => this.state() ?? null);
  readonly signedIn = computed(() => !!this.state());

  /** The current user, asking `GET /api/auth/me` once; concurrent callers share the request. */
  resolve(): Observable<UserView | null> {
    const known = this.state();
    if (known !== undefined) {
      return of(known);
    }
    this.pending ??= this.api.me().pipe(
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 401 ? of(null) : throwError(() => error),
      ),
      map((user) => {
        this.state.set(user);
        return user;
      }),
      finalize(() => (this.pending = null)),
      share(),
    );
    return this.pending;
  }

  signedInAs(user: UserView): void {
    this.state.set(user);
  }

  /** `POST /api/auth/login`; remembers the user on success, rejects with the HTTP error otherwise. */
  async signIn(credentials: LoginRequest): Promise<UserView> {
    const { user } = await firstValueFrom(this.api.login(credentials));
    this.signedInAs(user);
    return user;
  }

  /** Ends the session on the API (best effort: the cookie may already be gone), then forgets the user. */
  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.api.logout(), { defaultValue: null });
    } catch {
      // Signed out anyway: the next request without a session answers 401 and lands on the sign-in page.
    }
    this.clear();
  }

  /** Forget the user (after sign-out or a 401). */
  clear(): void {
    this.state.set(null);
  }
}
