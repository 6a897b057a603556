import path from 'node:path';

import { type FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { ResumeDialog } from './pages/budget-dialogs';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { WizardPage } from './pages/wizard-page';
import type { E2EServerOptions } from './support/e2e-server';
import { expect, test as base } from './support/fixtures';

const screenshotDir = path.resolve(__dirname, '../output/screenshots');

/**
 * Every call of the fake model reports this usage; LLM_PRICES prices `fake-model` at $1 / $2 per million tokens, so
 * each call costs $0.02 (the offline sample generator is free and could never reach a cap).
 */
const USAGE = { prompt_tokens: 10_000, completion_tokens: 5_000 };

/**
 * This journey's server generates with the fake OpenAI-compatible model server (test/support), priced through
 * LLM_PRICES: the fake starts first, once per worker, and the server is told its URL.
 */
const test = base.extend<object, { fake: FakeLlmServer }>({
  fake: [
    // Playwright reads which fixtures a fixture uses from this pattern; this one uses none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const fake = await startFakeLlmServer({ latencyMs: 150 });
      fake.script({ usage: USAGE });
      await use(fake);
      await fake.close();
    },
    { scope: 'worker' },
  ],
  serverOptions: [
    async ({ fake }, use) => {
      const { LLM_PROVIDER, ...model } = fakeModelEnv(fake);
      const options: E2EServerOptions = {
        name: 'budgets',
        env: { ...model, E2E_LLM_PROVIDER: LLM_PROVIDER, LLM_PRICES: 'fake-model=1/2' },
      };
      await use(options);
    },
    { scope: 'worker' },
  ],
});

test('the estimate shows before queueing; a job paused at its tiny cap is resumed from the dashboard and completes', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const login = new LoginPage(page);
  await login.goto('/courses/new');
  await login.signIn();

  // The approved panel: the estimate next to Generate & Queue (no history yet on a fresh database).
  const wizard = new WizardPage(page);
  const title = 'Candle Making';
  await wizard.approveOutline({ topic: title, projects: 2 });
  const estimate = page.getByTestId('estimate-figures');
  await expect(estimate).toBeVisible();
  await expect(estimate).toHaveText(
    /^≈ \d+ model calls · ≈ [\d.]+k? tokens · ≈ (\$[\d.]+|< \$0\.01) · .*min$/,
  );
  await expect(page.getByTestId('estimate-source')).toHaveText('(rough: no history yet)');
  await page.screenshot({ path: path.join(screenshotDir, 'wizard-estimate.png'), fullPage: true });

  // A cap below one call's cost: the job pauses once its first steps are paid for.
  const courseTitle = ((await wizard.approvedTitle.textContent()) ?? '').trim().replace(/^“|”$/g, '');
  await wizard.setAutoPublish(false);
  await page.getByTestId('cost-cap').fill('0.01');
  await wizard.generateAndQueue.click();
  await expect(page).toHaveURL(/\/admin\/course-generation-queue$/);

  const queue = new QueuePage(page);
  const row = queue.rowByTitle(courseTitle);
  await queue.waitForStatus(row, 'Paused', 60_000);
  await expect(queue.status(row)).toHaveClass(/badge-amber/);
  await expect(row.getByTestId('job-pause-reason')).toHaveText(
    /Reached its cost cap of \$0\.01 \(\$0\.\d\d spent\)/,
  );
  await expect(row.getByTestId('job-cancel')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'queue-paused-job.png'), fullPage: true });

  // Resume with a cap the rest of the course fits in.
  await row.getByTestId('job-resume').click();
  const dialog = new ResumeDialog(page);
  await expect(dialog.reason).toContainText('Reached its cost cap');
  await expect(dialog.facts).toContainText('Cost cap: $0.01');
  await dialog.cap.fill('5');
  await dialog.submit.click();
  // The "Course queued" toast may still be leaving: look for this one by its text.
  await expect(page.locator('mat-snack-bar-container', { hasText: 'Generation resumed' })).toBeVisible();

  await queue.waitForStatus(row, 'Completed', 90_000);
  await expect(row.getByTestId('job-pause-reason')).toHaveCount(0);
  await expect(row.getByTestId('job-cost')).toHaveText(/\$0\.\d{4}/);
});
