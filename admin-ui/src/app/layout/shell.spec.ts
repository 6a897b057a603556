import { APP_BASE_HREF } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { SessionStore } from '../auth/session-store';
import { aJobList, aUser } from '../testing/builders';
import { Shell } from './shell';

@Component({ template: '<h1>Stub page</h1>', changeDetection: ChangeDetectionStrategy.OnPush })
class StubPage {}

const ACTIVE_COUNT = (req: { url: string; params: { get(name: string): string | null } }): boolean =>
  req.url === '/api/admin/curriculum/generate/jobs' && req.params.get('status') === 'active';

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let http: HttpTestingController;

  const byTestId = (id: string): HTMLElement | null =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`);

  /** jsdom reports a hidden document by default; the tests choose. */
  const setTabVisible = (visible: boolean): void => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !visible });
    document.dispatchEvent(new Event('visibilitychange'));
  };

  const createShell = async (): Promise<void> => {
    fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        // The shell is the parent route of every page; here it is mounted on its own.
        provideRouter([
          { path: 'course-generation-queue', component: StubPage },
          { path: 'login', component: StubPage },
          { path: '**', component: StubPage },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        // As in production: the console is served under /admin/.
        { provide: APP_BASE_HREF, useValue: '/admin/' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signedInAs(aUser({ is_operator: true }));
    setTabVisible(true);
  });

  afterEach(() => {
    fixture.destroy();
    http.verify();
    delete (document as { hidden?: boolean }).hidden;
  });

  describe('layout', () => {
    beforeEach(async () => {
      await createShell();
      http.expectOne('/health').flush({ status: 'ok' });
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
    });

    it('renders the shell with the product name in the toolbar', () => {
      expect(byTestId('app-shell')).not.toBeNull();
      expect(fixture.nativeElement.querySelector('mat-toolbar')?.textContent).toContain('Courseloom');
    });

    it('renders the nav items in order, with hrefs under the /admin/ base href (an operator)', () => {
      const links = Array.from(
        (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLAnchorElement>('nav a'),
      ).map((a) => ({ text: a.textContent?.replace(/\s+/g, ' ').trim(), href: a.getAttribute('href') }));

      expect(links).toEqual([
        { text: 'Curriculum', href: '/admin/curriculum' },
        { text: 'New Course', href: '/admin/courses/new' },
        { text: 'Generation Queue', href: '/admin/course-generation-queue' },
        { text: 'Usage', href: '/admin/usage' },
        { text: 'Settings', href: '/admin/settings' },
        { text: 'Queue inspector ↗ (opens in a new tab)', href: '/admin/queues' },
      ]);
    });

    it('opens the queue inspector (Bull Board) in a new tab, outside the router', async () => {
      const inspector = byTestId('nav-queue-inspector') as HTMLAnchorElement;
      expect(inspector.getAttribute('target')).toBe('_blank');
      expect(inspector.getAttribute('rel')).toContain('noopener');

      // A routerLink would cancel the click and navigate in-app; a plain link leaves it to the browser.
      const router = TestBed.inject(Router);
      const click = new MouseEvent('click', { bubbles: true, cancelable: true });
      inspector.dispatchEvent(click);
      await fixture.whenStable();
      expect(click.defaultPrevented).toBe(false);
      expect(router.url).toBe('/');
    });

    it('marks the nav link of the current route as active', async () => {
      await TestBed.inject(Router).navigateByUrl('/course-generation-queue');
      await fixture.whenStable();
      expect(byTestId('nav-generation-queue')?.classList).toContain('mdc-list-item--activated');
      expect(byTestId('nav-curriculum')?.classList).not.toContain('mdc-list-item--activated');
    });

    it('shows "API ok" when GET /health answers status ok', async () => {
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API ok');
    });
  });

  describe('when the signed-in user is not an operator', () => {
    beforeEach(async () => {
      TestBed.inject(SessionStore).signedInAs(aUser({ role: 'owner', is_operator: false }));
      await createShell();
      http.expectOne('/health').flush({ status: 'ok' });
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
    });

    it('hides the queue inspector (Bull Board is for operators) and keeps the rest of the nav', () => {
      expect(byTestId('nav-queue-inspector')).toBeNull();
      const labels = Array.from(
        (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLAnchorElement>('nav a'),
      ).map((a) => a.textContent?.trim());
      expect(labels).toEqual(['Curriculum', 'New Course', 'Generation Queue', 'Usage', 'Settings']);
    });
  });

  describe('health indicator', () => {
    it('shows "API degraded" when GET /health answers an error status', async () => {
      await createShell();
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      http
        .expectOne('/health')
        .flush({ status: 'error' }, { status: 503, statusText: 'Service Unavailable' });
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API degraded');
    });

    it('shows "API degraded" when the API is unreachable', async () => {
      await createShell();
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      http.expectOne('/health').error(new ProgressEvent('error'));
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API degraded');
    });

    it('does not poll while the tab is hidden, and checks when it becomes visible', async () => {
      setTabVisible(false);
      await createShell();
      http.expectNone('/health');
      http.expectNone(ACTIVE_COUNT);
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API …');

      setTabVisible(true);
      http.expectOne('/health').flush({ status: 'ok' });
      await new Promise((resolve) => setTimeout(resolve)); // the count starts with timer(0, …)
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API ok');
    });
  });

  describe('signed-in user', () => {
    beforeEach(async () => {
      await createShell();
      http.expectOne('/health').flush({ status: 'ok' });
    });

    it('shows who is signed in and the organization', () => {
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      expect(byTestId('current-user-email')?.textContent?.trim()).toBe('admin@courseloom.local');
      expect(byTestId('current-organization')?.textContent?.trim()).toBe('Courseloom Academy');
    });

    it('shows the number of active jobs on the Generation Queue item, none when zero', async () => {
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 3));
      await fixture.whenStable();
      expect(byTestId('nav-active-jobs')?.textContent?.trim()).toBe('3');
      expect(byTestId('nav-generation-queue')?.contains(byTestId('nav-active-jobs'))).toBe(true);
    });

    it('hides the count when no job is active', async () => {
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      await fixture.whenStable();
      expect(byTestId('nav-active-jobs')).toBeNull();
    });

    it('signs out: POST /api/auth/logout, forgets the user, goes to the sign-in page', async () => {
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      byTestId('sign-out')?.click();
      http.expectOne({ method: 'POST', url: '/api/auth/logout' }).flush(null);
      await fixture.whenStable();
      expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
      expect(TestBed.inject(Router).url).toBe('/login');
    });

    it('signs out even when the API cannot be reached (the cookie may already be gone)', async () => {
      http.expectOne(ACTIVE_COUNT).flush(aJobList([], 0));
      byTestId('sign-out')?.click();
      http.expectOne({ method: 'POST', url: '/api/auth/logout' }).error(new ProgressEvent('error'));
      await fixture.whenStable();
      expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
      expect(TestBed.inject(Router).url).toBe('/login');
    });
  });
});
