import path from 'node:path';

import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { projects, queueCourse, uploadCourse } from './support/api';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * A course generated on the offline sample generator (free: $0) shows up on the Usage page: the month's calls, by
 * model (`sample-v1`), by user and by job type, with the daily chart (docs/costs.md).
 */
test('the Usage page shows the month’s model calls of a generated course', async ({ page }) => {
  test.setTimeout(120_000);
  const login = new LoginPage(page);
  await login.goto('/course-generation-queue');
  await login.signIn();
  const queue = new QueuePage(page);
  await expect(queue.heading).toBeVisible();

  const title = 'Usage of a Sample Course';
  const courseId = await uploadCourse(page.request, { title, projects: projects(title, 1) });
  const jobId = await queueCourse(page.request, courseId);
  await queue.goto();
  const row = queue.row(jobId);
  await queue.waitForStatus(row, 'Completed', 90_000);
  await expect(row.getByTestId('job-cost')).toHaveText('$0.00');

  await page.getByTestId('nav-usage').click();
  await expect(page).toHaveURL(/\/admin\/usage$/);
  await expect(page.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible();
  const calls = Number((await page.getByTestId('usage-calls').textContent())?.replace(/,/g, ''));
  expect(calls).toBeGreaterThanOrEqual(2); // at least this course's lessons step and one tasks step
  await expect(page.getByTestId('usage-cost')).toHaveText('$0.00');
  await expect(page.getByTestId('usage-by-model').getByTestId('usage-row-name')).toContainText(['sample-v1']);
  await expect(page.getByTestId('usage-by-job-type').getByTestId('usage-row-name').first()).toBeVisible();
  await expect(page.getByTestId('usage-chart')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'usage-page.png'), fullPage: true });
});
