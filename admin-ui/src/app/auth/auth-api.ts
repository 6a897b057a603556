import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { LoginRequest, LoginResponse, UserView } from '@contracts/api';
import { Observable } from 'rxjs';

/** `/api/auth/*`. The session is an httpOnly cookie: the browser sends it, the UI never reads it. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  login(body: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>('/api/auth/login', body);
  }

  logout(): Observable<unknown> {
    return this.http.post('/api/auth/logout', {});
  }

  /** 401 when signed out. */
  me(): Observable<UserView> {
    return this.http.get<UserView>('/api/auth/me');
  }
}
