import path from 'node:path';

import type { GenerateLessonsResponse } from '../../contracts/api';
import { JobPage } from './pages/job-page';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { projects, queueCourse, uploadCourse } from './support/api';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * A job whose tasks steps fail: the lessons are written first through the manual endpoint (the provider works), then
 * the provider breaks (SAMPLE_FAILURE_RATE=1 at restart) and the queued job fails on its first lesson's tasks. The
 * job page shows the failed lesson and its error in the tree; after the provider is fixed, Retry (confirmed) turns
 * the tree green and the job Completed without a reload.
 */
test.use({
  serverOptions: {
    name: 'job-page',
    env: { SAMPLE_FAILURE_RATE: '0', STEP_ATTEMPTS: '2', STEP_BACKOFF_MS: '100' },
  },
});

test('a failed job’s page shows the failed lesson and its error; Retry turns the tree green', async ({
  page,
  pageErrors,
  server,
}) => {
  test.setTimeout(180_000);
  if (!server) throw new Error('this journey runs on its own server (serverOptions)');
  const login = new LoginPage(page);
  await login.goto('/course-generation-queue');
  await login.signIn();
  const queue = new QueuePage(page);
  await expect(queue.heading).toBeVisible();

  // A draft course with its lessons (no tasks yet), written while the provider works.
  const title = 'Pottery at Home';
  const courseId = await uploadCourse(page.request, { title, projects: projects(title, 2) });
  const lessons = await page.request.post(`/api/admin/curriculum/generate/${courseId}/lessons`, {
    data: {},
    headers: { 'Sec-Fetch-Site': 'same-origin' },
  });
  expect(lessons.ok(), `POST …/lessons answered ${lessons.status()}`).toBe(true);
  const written = (await lessons.json()) as GenerateLessonsResponse;
  expect(written.projects.flatMap((p) => p.lessons).length).toBeGreaterThan(0);

  // The provider breaks; the queued job fails on the tasks of a lesson.
  pageErrors.allow(/Failed to load resource: net::ERR_CONNECTION_REFUSED/);
  await server.restart({ SAMPLE_FAILURE_RATE: '1' });
  const jobId = await queueCourse(page.request, courseId);

  // From the dashboard: the row shows the failure, the title opens the job's page.
  await queue.goto();
  const row = queue.row(jobId);
  await queue.waitForStatus(row, 'Failed', 60_000);
  await expect(row.getByTestId('job-row-error')).toContainText('Writing tasks: ');
  await queue.openJob(row);
  await expect(page).toHaveURL(new RegExp(`/admin/course-generation-queue/${jobId}$`));

  const job = new JobPage(page);
  await expect(job.title).toHaveText(title);
  await expect(job.status).toHaveText('Failed');
  await expect(job.failure).toContainText('Writing tasks: ');
  await expect(job.live).toBeHidden();
  const failed = job.lessonsWithStatus('failed');
  await expect(failed).not.toHaveCount(0);
  await expect(failed.first().getByTestId('step-error')).toContainText('simulated transient failure');
  await expect(failed.first().getByTestId('step-attempts')).toHaveText('2 attempts');
  await expect(job.logLines.filter({ hasText: /Attempt 1\/2 failed for / })).not.toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'job-page-failed.png'), fullPage: true });

  // The provider is fixed; Retry says how many steps will run again, and the tree goes green live.
  await server.restart({ SAMPLE_FAILURE_RATE: '0' });
  await page.reload();
  await expect(job.status).toHaveText('Failed');
  const question = await job.retry();
  expect(question).toMatch(/\d+ steps? will run again/);
  await expect(page.locator('mat-snack-bar-container')).toContainText('Retry queued');
  await expect(job.runNote).toHaveText('Run 2: steps already done in run 1 are not repeated.');

  await expect(job.status).toHaveText('Completed', { timeout: 60_000 });
  await expect(job.steps).not.toHaveCount(0);
  await expect(
    job.tree.locator('[data-testid="step-node"]:not([data-status="succeeded"]):not([data-status="skipped"])'),
  ).toHaveCount(0);
  await expect(job.failure).toHaveCount(0);
  await expect(job.live).toBeHidden();
  await expect(job.logLines.filter({ hasText: 'Course generation complete' })).toHaveCount(1);
  await page.screenshot({ path: path.join(screenshotDir, 'job-page-retried.png'), fullPage: true });
});
