import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { SessionStore } from './session-store';

/** Calls whose 401 means "wrong password" or "not signed in yet", handled by their callers. */
const OWN_401 = ['/api/auth/login', '/api/auth/me'];

/** A 401 from any other /api call: the session ended; sign in again and come back here. */
export const unauthorizedInterceptor: HttpInterceptorFn = (request, next) => {
  const router = inject(Router);
  const session = inject(SessionStore);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        request.url.startsWith('/api/') &&
        !OWN_401.includes(request.url)
      ) {
        session.clear();
        const here = router.url;
        if (!here.startsWith('/login')) {
          void router.navigate(['/login'], { queryParams: { returnUrl: here } });
        }
      }
      return throwError(() => error);
    }),
  );
};
