import path from 'node:path';

import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { projects, queueCourse, uploadCourse } from './support/api';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * Three courses generate at once. Each model call takes 5 s here (the steps of all three run in parallel), so each
 * course runs for ~10 s: long enough to see all three running on the dashboard (it refreshes every 3 s) and to
 * cancel one of them while it runs.
 */
test.use({ serverOptions: { name: 'concurrent', env: { SAMPLE_LATENCY_MS: '5000' } } });

const RUNNING = /^(Generating Lessons|Generating Tasks|Finalizing)$/;

test('three queued courses run at once; one cancelled through the confirm dialog, the other two complete', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const login = new LoginPage(page);
  await login.goto('/course-generation-queue');
  await login.signIn();
  const queue = new QueuePage(page);
  await expect(queue.heading).toBeVisible();

  const titles = ['Cooking Mastery', 'Guitar Basics', 'Watercolour Landscapes'];
  const jobs: { title: string; jobId: string }[] = [];
  for (const title of titles) {
    const courseId = await uploadCourse(page.request, { title, projects: projects(title, 3) });
    jobs.push({ title, jobId: await queueCourse(page.request, courseId) });
  }

  await queue.goto();
  const rows = page.locator('tr.job-row');
  const runningRows = rows.filter({ has: page.getByTestId('job-status').getByText(RUNNING) });
  // One look at the table finds all three running.
  await expect(runningRows).toHaveCount(3, { timeout: 20_000 });
  await expect(rows).toHaveCount(3);
  for (const { title, jobId } of jobs) {
    await expect(queue.row(jobId)).toHaveAttribute('data-course-title', title);
    await expect(queue.row(jobId).getByTestId('job-cancel')).toBeVisible();
  }
  await expect(queue.live).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'queue-concurrent.png'), fullPage: true });

  // Cancel the second one, through the confirm dialog.
  const [first, cancelled, third] = jobs.map(({ title, jobId }) => ({ title, row: queue.row(jobId), jobId }));
  await cancelled.row.getByTestId('job-cancel').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Cancel generation?');
  await expect(dialog).toContainText(`Stop generating “${cancelled.title}”?`);
  await dialog.getByTestId('confirm-yes').click();
  await expect(dialog).toBeHidden();
  await expect(queue.status(cancelled.row)).toHaveText('Cancelled');
  await expect(page.locator('mat-snack-bar-container')).toContainText('Generation cancelled');
  await expect(cancelled.row.getByTestId('job-cancel')).toHaveCount(0);

  // The other two finish.
  for (const { row } of [first, third]) {
    await queue.waitForStatus(row, 'Completed', 60_000);
    await expect(queue.progress(row)).toHaveText('Done');
  }
  await expect(queue.live).toBeHidden();
  await expect(queue.status(cancelled.row)).toHaveText('Cancelled');
  await expect(queue.progress(cancelled.row)).toHaveText('--');

  const lines = await queue.openLogs(cancelled.jobId);
  await expect(lines.filter({ hasText: /^.*Cancelled by / })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'Course generation complete' })).toHaveCount(0);
});
