import path from 'node:path';

import { expect, test } from '@playwright/test';

import { ADMIN } from './pages/credentials';
import { LoginPage } from './pages/login-page';

/** Screenshots for humans, next to the other test output (not committed). */
const screenshotDir = path.resolve(__dirname, '../output/screenshots');

const NAV = [
  { testId: 'nav-curriculum', label: 'Curriculum', href: '/admin/curriculum' },
  { testId: 'nav-new-course', label: 'New Course', href: '/admin/courses/new' },
  { testId: 'nav-generation-queue', label: 'Generation Queue', href: '/admin/course-generation-queue' },
  { testId: 'nav-queue-inspector', label: 'Queue inspector', href: '/admin/queues' },
] as const;

test.describe('admin UI shell', () => {
  let pageErrors: string[];

  test.beforeEach(({ page }) => {
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Content-Security-Policy violations and failed loads surface only as console errors.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  test.afterEach(() => {
    expect(pageErrors, 'errors in the page').toEqual([]);
  });

  test('a signed-out deep link asks to sign in, then returns to the page', async ({ page }) => {
    // The GET /api/auth/me 401 that finds out the user is signed out is expected; nothing else is.
    page.removeAllListeners('console');
    await page.goto('/admin/course-generation-queue');
    await expect(page).toHaveURL(/\/admin\/login\?returnUrl=%2Fcourse-generation-queue$/);

    await new LoginPage(page).signIn();
    await expect(page).toHaveURL(/\/admin\/course-generation-queue$/);
    await expect(page.getByTestId('current-user-email')).toHaveText(ADMIN.email);
    await expect(page.getByTestId('current-organization')).not.toBeEmpty();

    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/admin\/login$/);
  });

  test.describe('signed in', () => {
    test.beforeEach(async ({ page }) => {
      const login = new LoginPage(page);
      await login.goto('/curriculum');
      await login.signIn();
      await expect(page.getByTestId('app-shell')).toBeVisible();
    });

    test('renders the toolbar and the side nav at /admin/', async ({ page }) => {
      await page.goto('/admin/');

      await expect(page).toHaveURL(/\/admin\/curriculum$/);
      const shell = page.getByTestId('app-shell');
      await expect(shell).toBeVisible();
      await expect(page.locator('mat-toolbar')).toContainText('Courseloom');
      // The global stylesheet applied (it is not blocked by the API's Content-Security-Policy).
      await expect(page.locator('body')).toHaveCSS('margin', '0px');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Curriculum');

      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const item of NAV) {
        const link = nav.getByTestId(item.testId);
        await expect(link).toBeVisible();
        await expect(link).toContainText(item.label);
        await expect(link).toHaveAttribute('href', item.href);
      }
      await expect(nav.getByTestId('nav-queue-inspector')).toHaveAttribute('target', '_blank');

      // The chip polls GET /health on the API root.
      await expect(page.getByTestId('api-health')).toHaveText('API ok');

      await page.screenshot({ path: path.join(screenshotDir, 'admin-shell.png'), fullPage: true });
    });

    test('navigates in-app from the side nav', async ({ page }) => {
      await page.goto('/admin/');
      await page.getByTestId('nav-generation-queue').click();
      await expect(page).toHaveURL(/\/admin\/course-generation-queue$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Generation Queue');

      await page.getByTestId('nav-new-course').click();
      await expect(page).toHaveURL(/\/admin\/courses\/new$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('New course');
    });

    test('serves the deep link /admin/course-generation-queue', async ({ page }) => {
      const response = await page.goto('/admin/course-generation-queue');
      expect(response?.status()).toBe(200);

      await expect(page.getByTestId('app-shell')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Generation Queue');
      await expect(page.getByTestId('nav-generation-queue')).toHaveClass(/mdc-list-item--activated/);

      await page.screenshot({ path: path.join(screenshotDir, 'generation-queue.png'), fullPage: true });
    });

    test('shows "Page not found" for an unknown page under /admin/', async ({ page }) => {
      await page.goto('/admin/no-such-page');
      await expect(page.getByTestId('app-shell')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    });
  });
});

test('an unknown /api path answers a JSON 404, not the UI', async ({ request }) => {
  const response = await request.get('/api/does-not-exist');

  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = (await response.json()) as { statusCode?: number };
  expect(body.statusCode).toBe(404);
});
