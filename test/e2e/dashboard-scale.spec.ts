import path from 'node:path';

import type { APIRequestContext } from '@playwright/test';

import type { JobListResponse, LoginResponse } from '../../contracts/api';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { QueueViewControls } from './pages/queue-view-controls';
import { projects, queueCourse, uploadCourse } from './support/api';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/** Cookie-authenticated writes need it, as the admin UI's own requests have it (docs/accounts-and-curriculum.md). */
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

/**
 * The dashboard with more jobs than a page (docs/queue.md, "Listing jobs" and "Bulk actions"). The seed, through the
 * API as an admin would: while every model call fails (SAMPLE_FAILURE_RATE=1, one attempt), the admin queues five
 * "Glassblowing" courses, which fail; then the provider is fixed (a restart on the same data with
 * SAMPLE_FAILURE_RATE=0) and the admin queues twenty "Pottery" and three "Welding" courses, a colleague of the same
 * organization three "Beekeeping" ones, and all of those complete. The admin has 28 jobs: two pages at 25.
 */
test.use({
  serverOptions: {
    name: 'dashboard-scale',
    env: { SAMPLE_FAILURE_RATE: '1', STEP_ATTEMPTS: '1', STEP_BACKOFF_MS: '100', SAMPLE_LATENCY_MS: '20' },
  },
});

const COLLEAGUE = { email: 'grace@courseloom.local', password: 'grace-hopper-e2e', role: 'admin' } as const;

const numbered = (name: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${name} ${String(i + 1).padStart(2, '0')}`);

/** Uploads a one-project outline per title and queues each; the job ids. */
async function queueCourses(request: APIRequestContext, titles: string[]): Promise<string[]> {
  const jobIds: string[] = [];
  for (const title of titles) {
    const courseId = await uploadCourse(request, { title, projects: projects(title, 1) });
    jobIds.push(await queueCourse(request, courseId));
  }
  return jobIds;
}

/** How many jobs `GET /jobs` lists for this query (e.g. `status=failed&scope=organization`). */
async function countJobs(request: APIRequestContext, query: string): Promise<number> {
  const response = await request.get(`/api/admin/curriculum/generate/jobs?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as JobListResponse).total;
}

test.describe('the queue dashboard with more jobs than a page', () => {
  test('pages, searches, filters by status and user, and bulk-retries the selected failed jobs', async ({
    page,
    playwright,
    server,
  }) => {
    test.setTimeout(180_000);
    if (!server) throw new Error('this journey runs on its own server (serverOptions)');
    const login = new LoginPage(page);
    await login.goto('/course-generation-queue');
    await login.signIn();
    const queue = new QueuePage(page);
    const view = new QueueViewControls(page);
    await expect(queue.heading).toBeVisible();

    // Seed: five failed jobs while the provider fails.
    const failedIds = await queueCourses(page.request, numbered('Glassblowing', 5));
    await expect
      .poll(() => countJobs(page.request, 'status=failed'), { timeout: 30_000 })
      .toBe(failedIds.length);

    // The provider is fixed. The page is left first, so its health checks do not fail while the server is down.
    await page.goto('about:blank');
    await server.restart({ SAMPLE_FAILURE_RATE: '0' });
    await queueCourses(page.request, [...numbered('Pottery', 20), ...numbered('Welding', 3)]);
    const created = await page.request.post('/api/admin/users', { data: COLLEAGUE, headers: SAME_ORIGIN });
    expect(created.status(), await created.text()).toBe(201);
    const colleague = await playwright.request.newContext({ baseURL: server.url });
    try {
      const signedIn = await colleague.post('/api/auth/login', {
        data: { email: COLLEAGUE.email, password: COLLEAGUE.password },
        headers: SAME_ORIGIN,
      });
      expect(signedIn.status(), await signedIn.text()).toBe(200);
      expect(((await signedIn.json()) as LoginResponse).user.email).toBe(COLLEAGUE.email);
      await queueCourses(colleague, numbered('Beekeeping', 3));
    } finally {
      await colleague.dispose();
    }
    await expect
      .poll(() => countJobs(page.request, 'status=active&scope=organization'), { timeout: 60_000 })
      .toBe(0);
    await expect.poll(() => countJobs(page.request, 'status=completed&scope=organization')).toBe(26);

    await test.step('pages to page 2 at 25 a page, with the page in the URL', async () => {
      await queue.goto();
      await expect(view.range).toHaveText('1 – 28 of 28');
      await expect(view.rows).toHaveCount(28);

      await view.setPageSize(25);
      await expect(page).toHaveURL(/[?&]page_size=25(&|$)/);
      await expect(view.range).toHaveText('1 – 25 of 28');
      await expect(view.rows).toHaveCount(25);
      const firstPage = await view.rowIds();

      await view.nextPage.click();
      await expect(page).toHaveURL(/[?&]page=2(&|$)/);
      await expect(view.range).toHaveText('26 – 28 of 28');
      await expect(view.rows).toHaveCount(3);
      const secondPage = await view.rowIds();
      expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
      // Newest first: the oldest jobs, the failed ones, are on the last page.
      expect(failedIds).toEqual(expect.arrayContaining(secondPage));

      // The URL is the view: a reload shows the same page.
      await page.reload();
      await expect(view.range).toHaveText('26 – 28 of 28');
      expect(await view.rowIds()).toEqual(secondPage);
    });

    await test.step('searches course titles on the server, any case', async () => {
      await view.search.fill('welding');
      await expect(page).toHaveURL(/[?&]search=welding(&|$)/);
      // A new search starts on page 1.
      await expect(page).not.toHaveURL(/[?&]page=/);
      await expect(view.range).toHaveText('1 – 3 of 3');
      await expect(view.rows).toHaveCount(3);
      expect((await view.rowTitles()).sort()).toEqual(numbered('Welding', 3));
      await page.screenshot({ path: path.join(screenshotDir, 'queue-search.png'), fullPage: true });
    });

    await test.step('shows a colleague’s jobs only for “Anyone in my organization”', async () => {
      await view.search.fill('Beekeeping');
      await expect(page).toHaveURL(/[?&]search=Beekeeping(&|$)/);
      await expect(queue.empty).toHaveText(/No job matches these filters\./);

      await view.startedBy('Anyone in my organization');
      await expect(page).toHaveURL(/[?&]user=anyone(&|$)/);
      await expect(view.rows).toHaveCount(3);
      expect((await view.rowTitles()).sort()).toEqual(numbered('Beekeeping', 3));

      await view.search.fill('');
      await expect(page).not.toHaveURL(/[?&]search=/);
      await expect(view.range).toHaveText('1 – 25 of 31');

      await view.startedBy('Me');
      await expect(page).not.toHaveURL(/[?&]user=/);
      await expect(view.range).toHaveText('1 – 25 of 28');
    });

    await test.step('filters by creation date, and clears the filters', async () => {
      await view.createdTo.fill('2000-01-31');
      await expect(page).toHaveURL(/[?&]to=2000-01-31(&|$)/);
      await expect(queue.empty).toHaveText(/No job matches these filters\./);
      await view.clearFilters.click();
      await expect(page).not.toHaveURL(/[?&]to=/);
      await expect(view.range).toHaveText('1 – 25 of 28');
    });

    await test.step('filters by status', async () => {
      await queue.filter('completed').click();
      await expect(page).toHaveURL(/[?&]status=completed(&|$)/);
      await expect(view.range).toHaveText('1 – 23 of 23');
      await expect(view.rows.and(page.locator('[data-status="completed"]'))).toHaveCount(23);

      await queue.filter('failed').click();
      await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
      await expect(view.range).toHaveText('1 – 5 of 5');
      await expect(view.rows.and(page.locator('[data-status="failed"]'))).toHaveCount(5);
    });

    await test.step('bulk-retries the selected failed jobs after a confirmation that counts them', async () => {
      await view.selectPage.check();
      await expect(view.selectedCount).toHaveText('5 selected');
      await expect(view.bulkRetry).toHaveText('Retry failed (5)');
      // Leave one out.
      const [keptId, ...retriedIds] = await view.rowIds();
      await view.rowCheckbox(queue.row(keptId)).uncheck();
      await expect(view.selectedCount).toHaveText('4 selected');
      await expect(view.bulkRetry).toHaveText('Retry failed (4)');

      await view.bulkRetry.click();
      await expect(view.dialog).toContainText('Retry 4 failed jobs?');
      await view.dialog.getByTestId('confirm-yes').click();
      await expect(view.dialog).toBeHidden();
      await expect(view.bulkCounts).toHaveText('4 retried');
      // They left `failed`: the failed view keeps only the one left out.
      await expect(view.rows).toHaveCount(1);
      await expect(queue.row(keptId)).toBeVisible();
      await expect(view.selectedCount).toHaveCount(0);

      // "Retry all failed" for this view: the total is the count.
      await view.retryAllFailed.click();
      await expect(view.dialog).toContainText('Retry 1 failed job?');
      await view.dialog.getByTestId('confirm-yes').click();
      await expect(view.bulkCounts).toHaveText('1 retried');
      await expect(queue.empty).toHaveText(/No failed jobs\./);

      // With the provider fixed, every retried job completes.
      await queue.filter('all').click();
      await view.search.fill('Glassblowing');
      await expect(view.rows).toHaveCount(5);
      for (const jobId of [keptId, ...retriedIds]) {
        await queue.waitForStatus(queue.row(jobId), 'Completed', 60_000);
      }
      await page.screenshot({ path: path.join(screenshotDir, 'queue-bulk-retried.png'), fullPage: true });
    });
  });
});
