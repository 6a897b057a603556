import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { catchError, map, of } from 'rxjs';

import { SessionStore } from './session-store';

/** Signed-out users go to the sign-in page, which brings them back to `returnUrl`. */
export const authGuard: CanActivateFn = (_route, state) => {
  const router = inject(Router);
  const toLogin = () => router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  return inject(SessionStore)
    .resolve()
    .pipe(
      map((user) => (user ? true : toLogin())),
      // API down: still show the sign-in page (it reports the error) rather than a blank screen.
      catchError(() => of(toLogin())),
    );
};
