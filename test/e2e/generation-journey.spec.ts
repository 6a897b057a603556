import path from 'node:path';

import { CoursePage } from './pages/course-page';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { WizardPage } from './pages/wizard-page';
import { expect, test } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * The dashboard refreshes every 3 s, and a course job runs its steps in parallel: at Playwright's server's 150 ms
 * per model call a whole course takes well under a second, between two refreshes. This journey's server makes each
 * call take 1 s and runs one step at a time, so writing the lessons of 5 projects takes ~5 s and the tasks of their
 * lessons ~15 s: each phase outlasts a refresh.
 */
test.use({
  serverOptions: {
    name: 'journey',
    env: { SAMPLE_LATENCY_MS: '1000', STEP_CONCURRENCY: '1' },
  },
});

test('new course: approve an outline, Generate & Queue, watch the job to Completed, open the published course', async ({
  page,
}) => {
  test.setTimeout(120_000);

  const login = new LoginPage(page);
  await login.goto('/courses/new');
  await login.signIn();
  await expect(page).toHaveURL(/\/admin\/courses\/new$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New course');

  // Topic → outlines → the second proposal → approve.
  const wizard = new WizardPage(page);
  await wizard.fillTopic({
    topic: 'Board game design',
    audience: 'Hobbyists who have never designed a game',
    level: 'beginner',
    language: 'en',
    projects: 5,
  });
  await wizard.generateOutlines.click();
  const card = wizard.proposal(1);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card.locator('mat-card-subtitle')).toHaveText('5 projects');
  await expect(wizard.sampleNote).toBeVisible();
  const title = (await card.locator('mat-card-title').innerText()).trim();
  expect(title).not.toBe('');
  await card.click();
  await expect(card).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('draft-title')).toHaveValue(title);
  await wizard.approve.click();

  // The plan's "Course Structure Approved" panel.
  const panel = wizard.approvedPanel;
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('Course Structure Approved');
  await expect(wizard.approvedTitle).toHaveText(`“${title}”`);
  await expect(wizard.approvedSummary).toHaveText('5 Projects | Ready for content generation');
  await expect(wizard.generateAndQueue).toContainText('Generate & Queue');
  await expect(wizard.generateAndQueue).toContainText('(Recommended)');
  await expect(wizard.generateManually).toContainText('Generate Manually');
  await expect(wizard.generateManually).toContainText('(Step by step)');
  await expect(page.getByTestId('auto-publish')).toContainText('Auto-publish when complete');
  await expect(wizard.autoPublish).toBeChecked(); // ☑ by default, as in the plan
  await wizard.setAutoPublish(false);
  await expect(wizard.autoPublish).not.toBeChecked();
  await wizard.setAutoPublish(true);
  await expect(wizard.autoPublish).toBeChecked();
  await panel.screenshot({ path: path.join(screenshotDir, 'wizard-approved-panel.png') });

  // Generate & Queue → the toast, on the dashboard.
  await wizard.generateAndQueue.click();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Course queued for generation');
  await expect(page).toHaveURL(/\/admin\/course-generation-queue$/);

  const queue = new QueuePage(page);
  const row = queue.rowByTitle(title);
  await expect(row).toBeVisible();
  const jobId = (await row.getAttribute('data-testid'))?.replace(/^job-row-/, '') ?? '';
  expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(queue.live).toBeVisible();

  // The dashboard follows the job by itself: from here on nothing reloads the page.
  await page.evaluate(() => Object.assign(window, { e2eNoReload: true }));
  await queue.waitForStatus(row, 'Generating Lessons', 15_000);
  await expect(queue.progress(row)).toHaveText(/^[0-5]\/5 projects$/);
  await queue.waitForStatus(row, 'Generating Tasks', 30_000);
  await expect(queue.progress(row)).toHaveText(/^\d+\/\d+ lessons$/);
  await queue.waitForStatus(row, 'Completed', 60_000);
  await expect(queue.progress(row)).toHaveText('Done');
  await expect(row.getByTestId('job-duration')).toHaveText(/^\d+s$|^\d+m \d+s$/);
  await expect(queue.live).toBeHidden(); // nothing left to follow: polling stopped
  expect(await page.evaluate(() => (window as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);

  // Its logs, in the plan's format.
  const lines = await queue.openLogs(jobId);
  await expect(lines.first()).toContainText('Starting course generation job');
  for (const message of [
    `Course: ${title}`,
    'Projects to process: 5',
    'Generating lessons for project 5/5: ',
    'Starting task generation',
    'Course generation complete',
  ]) {
    await expect(lines.filter({ hasText: message }), message).toHaveCount(1);
  }
  const summary = lines.filter({ hasText: /Summary: 5 projects, \d+ lessons, \d+ tasks/ });
  await expect(summary).toHaveCount(1);
  const [lessons, tasks] = (/(\d+) lessons, (\d+) tasks/.exec(await summary.innerText()) ?? [])
    .slice(1)
    .map(Number);
  expect(lessons).toBeGreaterThanOrEqual(5);
  expect(tasks).toBeGreaterThanOrEqual(lessons);
  await page.screenshot({ path: path.join(screenshotDir, 'queue-dashboard.png'), fullPage: true });

  // View Course: the whole tree, published by the job.
  await queue.viewCourse(row).click();
  await expect(page).toHaveURL(/\/admin\/courses\/[0-9a-f-]{36}$/);
  const course = new CoursePage(page);
  await expect(course.title).toHaveText(title);
  await expect(course.status).toHaveText('Published');
  await expect(course.counts).toHaveText(`5 projects · ${lessons} lessons · ${tasks} tasks`);
  await expect(course.projects).toHaveCount(5);
  await expect(course.lessons).toHaveCount(lessons);
  await expect(course.tasks).toHaveCount(tasks);
  await expect(course.projects.first()).toBeVisible();
  await expect(course.lessons.first()).toBeVisible();
  await expect(course.tasks.first()).toBeVisible();
  await expect(course.unpublish).toBeVisible();
  await expect(course.jobs.getByTestId(`course-job-${jobId}`)).toContainText('Completed');
});
