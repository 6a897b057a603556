import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { routes } from './app.routes';
import { LoginPage } from './auth/login-page';
import { SessionStore } from './auth/session-store';
import { unauthorizedInterceptor } from './auth/unauthorized-interceptor';
import { CoursePage } from './course/course-page';
import { CurriculumPage } from './curriculum/curriculum-page';
import { NotFoundPage } from './layout/not-found-page';
import { JobPage } from './queue/job-page/job-page';
import { QueuePage } from './queue/queue-page';
import { aUser } from './testing/builders';
import { WizardPage } from './wizard/wizard-page';

describe('routes', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(routes, withComponentInputBinding()),
        provideHttpClient(withInterceptors([unauthorizedInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  const url = (): string => TestBed.inject(Router).url;
  /** The page routed inside the shell's outlet (the harness's own outlet holds the shell). */
  const page = <T>(type: Type<T>): T | undefined =>
    harness.fixture.debugElement.query(By.directive(type))?.componentInstance as T | undefined;
  const settle = (): Promise<void> => harness.fixture.whenStable();
  const meRequest = () => vi.waitFor(() => http.expectOne('/api/auth/me'));
  const heading = (): string | undefined =>
    harness.routeNativeElement?.querySelector('h1')?.textContent?.trim();

  describe('signed in', () => {
    beforeEach(() => TestBed.inject(SessionStore).signedInAs(aUser()));

    const cases: [url: string, page: Type<unknown>][] = [
      ['/curriculum', CurriculumPage],
      ['/courses/new', WizardPage],
      ['/course-generation-queue', QueuePage],
      ['/course-generation-queue/j-1', JobPage],
      ['/courses/42', CoursePage],
    ];

    it.each(cases)('deep link %s resolves to its lazy page inside the shell', async (path, type) => {
      // Not whenStable: a page's pending request (a resource) keeps the app busy until answered.
      await harness.navigateByUrl(path);
      expect(url()).toBe(path);
      expect(page(type)).toBeInstanceOf(type);
      expect(document.querySelector('[data-testid="app-shell"]')).not.toBeNull();
    });

    it('redirects the empty path to the curriculum', async () => {
      await harness.navigateByUrl('/');
      expect(url()).toBe('/curriculum');
      expect(page(CurriculumPage)).toBeInstanceOf(CurriculumPage);
    });

    it('binds the :id route parameter to the course page input', async () => {
      await harness.navigateByUrl('/courses/c-123');
      expect(page(CoursePage)?.id()).toBe('c-123');
    });

    it('binds the :jobId route parameter to the job page input', async () => {
      await harness.navigateByUrl('/course-generation-queue/j-9');
      expect(page(JobPage)?.jobId()).toBe('j-9');
    });

    it('shows "Page not found" for unknown paths', async () => {
      await harness.navigateByUrl('/no/such/page');
      expect(page(NotFoundPage)).toBeInstanceOf(NotFoundPage);
      expect(heading()).toContain('Page not found');
    });

    it('does not route the Bull Board path: /queues is not an app page', async () => {
      await harness.navigateByUrl('/queues');
      expect(page(NotFoundPage)).toBeInstanceOf(NotFoundPage);
    });

    it('a 401 from the API sends the user to sign in, returning to the page they were on', async () => {
      await harness.navigateByUrl('/course-generation-queue');
      await settle();
      expect(page(QueuePage)).toBeInstanceOf(QueuePage);
      http
        .match((req) => req.url === '/api/admin/curriculum/generate/jobs')
        .forEach((req) =>
          req.flush(
            { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' },
            { status: 401, statusText: 'Unauthorized' },
          ),
        );
      await harness.fixture.whenStable();
      expect(url()).toBe('/login?returnUrl=%2Fcourse-generation-queue');
      expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
    });
  });

  describe('signed out', () => {
    it('asks GET /api/auth/me and sends a signed-out user to sign in with the return URL', async () => {
      const navigation = harness.navigateByUrl('/course-generation-queue?x=1');
      (await meRequest()).flush(
        { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
      await navigation;
      expect(url()).toBe('/login?returnUrl=%2Fcourse-generation-queue%3Fx%3D1');
      expect(harness.routeDebugElement?.componentInstance).toBeInstanceOf(LoginPage);
    });

    it('lets a user with a session cookie in after GET /api/auth/me', async () => {
      const navigation = harness.navigateByUrl('/curriculum');
      (await meRequest()).flush(aUser());
      await navigation;
      expect(url()).toBe('/curriculum');
      expect(TestBed.inject(SessionStore).user()?.email).toBe('admin@courseloom.local');
    });

    it('the sign-in page is reachable without a session', async () => {
      await harness.navigateByUrl('/login', LoginPage);
      http.expectNone('/api/auth/me');
    });
  });
});
