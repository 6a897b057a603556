import { APP_BASE_HREF } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { routes } from '../app.routes';
import { Shell } from './shell';

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
        provideRouter(routes),
        provideHttpClient(),
        provideHttpClientTesting(),
        // As in production: the console is served under /admin/.
        { provide: APP_BASE_HREF, useValue: '/admin/' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
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
    });

    it('renders the shell with the product name in the toolbar', () => {
      expect(byTestId('app-shell')).not.toBeNull();
      expect(fixture.nativeElement.querySelector('mat-toolbar')?.textContent).toContain('Courseloom');
    });

    it('renders the nav items in order, with hrefs under the /admin/ base href', () => {
      const links = Array.from(
        (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLAnchorElement>('nav a'),
      ).map((a) => ({ text: a.textContent?.replace(/\s+/g, ' ').trim(), href: a.getAttribute('href') }));

      expect(links).toEqual([
        { text: 'Curriculum', href: '/admin/curriculum' },
        { text: 'New Course', href: '/admin/courses/new' },
        { text: 'Generation Queue', href: '/admin/course-generation-queue' },
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

  describe('health indicator', () => {
    it('shows "API degraded" when GET /health answers an error status', async () => {
      await createShell();
      http
        .expectOne('/health')
        .flush({ status: 'error' }, { status: 503, statusText: 'Service Unavailable' });
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API degraded');
    });

    it('shows "API degraded" when the API is unreachable', async () => {
      await createShell();
      http.expectOne('/health').error(new ProgressEvent('error'));
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API degraded');
    });

    it('does not poll while the tab is hidden, and checks when it becomes visible', async () => {
      setTabVisible(false);
      await createShell();
      http.expectNone('/health');
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API …');

      setTabVisible(true);
      http.expectOne('/health').flush({ status: 'ok' });
      await fixture.whenStable();
      expect(byTestId('api-health')?.textContent?.trim()).toBe('API ok');
    });
  });
});
