import path from 'node:path';

import { CoursePage } from './pages/course-page';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { projects, queueCourse, uploadCourse } from './support/api';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * Every model call fails (SAMPLE_FAILURE_RATE=1, read at start-up), so the first step runs out of its 2 attempts
 * and the job fails. Then "the provider is fixed": the same server restarts on the same database and Redis prefix
 * with SAMPLE_FAILURE_RATE=0, and Retry finishes the job.
 */
test.use({
  serverOptions: {
    name: 'failure',
    env: { SAMPLE_FAILURE_RATE: '1', STEP_ATTEMPTS: '2', STEP_BACKOFF_MS: '100' },
  },
});

test('a failing job shows Failed and its error; after the provider is fixed, Retry completes it', async ({
  page,
  pageErrors,
  server,
}) => {
  test.setTimeout(120_000);
  const login = new LoginPage(page);
  await login.goto('/course-generation-queue');
  await login.signIn();
  const queue = new QueuePage(page);
  await expect(queue.heading).toBeVisible();
  await expect(queue.empty).toBeVisible();

  // A draft course from an outline (no model call), queued as Generate & Queue does.
  const title = 'Woodworking 101';
  const courseId = await uploadCourse(page.request, { title, projects: projects(title, 2) });
  const jobId = await queueCourse(page.request, courseId);

  await queue.goto();
  const row = queue.row(jobId);
  await expect(row).toHaveAttribute('data-course-title', title);
  await queue.waitForStatus(row, 'Failed', 30_000);
  await expect(queue.status(row)).toHaveClass(/badge-red/);
  await expect(queue.progress(row)).toHaveText('--');
  await expect(row.getByTestId('job-retry')).toBeVisible();
  await expect(row.getByTestId('job-cancel')).toHaveCount(0);
  await expect(queue.viewCourse(row)).toHaveCount(0);
  await expect(queue.live).toBeHidden();

  // The Failed filter lists it.
  await queue.filter('failed').click();
  await expect(row).toBeVisible();
  await expect(page.locator('tr.job-row')).toHaveCount(1);
  await queue.filter('all').click();
  await expect(queue.status(row)).toHaveText('Failed');

  // Its error, and the attempts in the log.
  const lines = await queue.openLogs(jobId);
  const error = page.getByTestId(`job-logs-row-${jobId}`).getByTestId('job-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText(`Could not generate the lessons of "${title}: part `);
  await expect(error).toContainText('simulated transient failure');
  await expect(lines.filter({ hasText: /Attempt 1\/2 failed for / })).not.toHaveCount(0);
  const errorLines = lines.filter({ has: page.getByTestId('log-level').getByText('[ERROR]') });
  await expect(errorLines).not.toHaveCount(0);
  await expect(lines.filter({ hasText: 'Course generation complete' })).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'queue-failed-job.png'), fullPage: true });

  // The provider is fixed: the same server, data and queue, without simulated failures. While it is down, the
  // page's health check fails to load.
  pageErrors.allow(/Failed to load resource: net::ERR_CONNECTION_REFUSED/);
  if (!server) throw new Error('this journey runs on its own server (serverOptions)');
  await server.restart({ SAMPLE_FAILURE_RATE: '0' });
  await page.reload();
  await expect(queue.status(row)).toHaveText('Failed');

  await queue.retry(row);
  await expect(page.locator('mat-snack-bar-container')).toContainText('Retry queued');
  await queue.waitForStatus(row, 'Completed', 30_000);
  await expect(queue.progress(row)).toHaveText('Done');
  await expect(row.getByTestId('job-retry')).toHaveCount(0);

  const after = await queue.openLogs(jobId);
  await expect(after.filter({ hasText: 'Course generation complete' })).toHaveCount(1);
  await expect(after.filter({ hasText: /Summary: 2 projects, \d+ lessons, \d+ tasks/ })).toHaveCount(1);
  // The old error is not shown on a completed job.
  await expect(page.getByTestId(`job-logs-row-${jobId}`).getByTestId('job-error')).toHaveCount(0);

  // The course has its lessons and tasks (not published: the job was queued without auto-publish).
  await queue.viewCourse(row).click();
  const course = new CoursePage(page);
  await expect(course.title).toHaveText(title);
  await expect(course.status).not.toHaveText('Published');
  await expect(course.projects).toHaveCount(2);
  await expect(course.lessons).not.toHaveCount(0);
  await expect(course.tasks).not.toHaveCount(0);
});
