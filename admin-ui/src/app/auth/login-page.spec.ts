import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { aUser } from '../testing/builders';
import { LoginPage } from './login-page';
import { safeReturnUrl } from './return-url';
import { SessionStore } from './session-store';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let router: Router;

  const byTestId = <T extends HTMLElement>(id: string): T =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`) as T;
  const type = (id: string, value: string): void => {
    const input = byTestId<HTMLInputElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  /** Lets the sign-in promise settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '**', children: [] }]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPage);
    fixture.componentRef.setInput('returnUrl', '/course-generation-queue');
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  it('signs in and returns to where the user was', async () => {
    type('login-email', 'admin@courseloom.local');
    type('login-password', 'courseloom-admin');
    fixture.detectChanges();
    byTestId('login-submit').click();

    const request = http.expectOne({ method: 'POST', url: '/api/auth/login' });
    expect(request.request.body).toEqual({ email: 'admin@courseloom.local', password: 'courseloom-admin' });
    request.flush({ access_token: 't', expires_at: '2030-01-01T00:00:00Z', user: aUser() });
    await settle();

    expect(TestBed.inject(SessionStore).user()?.email).toBe('admin@courseloom.local');
    expect(router.navigateByUrl).toHaveBeenCalledWith('/course-generation-queue');
  });

  it('says so when the password is wrong', async () => {
    type('login-email', 'admin@courseloom.local');
    type('login-password', 'nope-nope');
    fixture.detectChanges();
    byTestId('login-submit').click();
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 401, message: 'Invalid credentials', error: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await settle();
    expect(byTestId('login-error').textContent).toContain('Wrong email or password.');
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });

  it('keeps the submit button disabled until the form is valid', () => {
    expect(byTestId<HTMLButtonElement>('login-submit').disabled).toBe(true);
  });
});

describe('safeReturnUrl', () => {
  it.each([
    ['/courses/1', '/courses/1'],
    ['/course-generation-queue?x=1', '/course-generation-queue?x=1'],
    [undefined, '/curriculum'],
    ['https://evil.example/', '/curriculum'],
    ['//evil.example/', '/curriculum'],
    ['/\\evil.example', '/curriculum'],
    ['/login?returnUrl=%2F', '/curriculum'],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });
});
