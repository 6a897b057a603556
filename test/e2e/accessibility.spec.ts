import { LoginPage } from './pages/login-page';
import { WizardPage } from './pages/wizard-page';
import { projects, queueCourse, uploadCourse } from './support/api';
import { seriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';

/**
 * An automated accessibility check (axe) of every page of the console, in the states a user meets: it fails on any
 * serious or critical violation and names the page, the rule and the elements. Each page is checked once it has
 * loaded its data, so the check sees what a user sees.
 */
test.describe('accessibility', () => {
  test('the sign-in page has no serious or critical violation', async ({ page, pageErrors }) => {
    pageErrors.allow(/401/); // GET /api/auth/me finds out the visitor is signed out
    await new LoginPage(page).goto();
    await expect(page.getByTestId('login-email')).toBeVisible();
    expect(await seriousViolations(page, 'sign-in')).toEqual([]);
  });

  test('every signed-in page and wizard step has no serious or critical violation', async ({
    page,
    pageErrors,
  }) => {
    test.setTimeout(120_000);
    pageErrors.allow(/401/); // the sign-in on the way
    // Soft: one run reports every page's violations, not only the first page's.
    const check = async (name: string): Promise<void> => {
      expect.soft(await seriousViolations(page, name), `accessibility violations on ${name}`).toEqual([]);
    };

    const login = new LoginPage(page);
    await login.goto('/curriculum');
    await login.signIn();
    await expect(page.getByTestId('app-shell')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Curriculum');
    await check('curriculum');

    // The wizard, step by step, on the manual path (it shows the generated content).
    const wizard = new WizardPage(page);
    await wizard.goto();
    await expect(page.getByTestId('wizard-topic')).toBeVisible();
    await check('wizard: topic');
    await wizard.fillTopic({ topic: 'Accessible board games', projects: 1 });
    await wizard.generateOutlines.click();
    await expect(wizard.proposal(0)).toBeVisible({ timeout: 30_000 });
    await check('wizard: proposals');
    await wizard.proposal(0).click();
    await expect(page.getByTestId('outline-editor')).toBeVisible();
    await check('wizard: outline editor');
    await wizard.approve.click();
    await expect(wizard.approvedPanel).toBeVisible();
    await expect(page.getByTestId('estimate')).not.toContainText('working it out');
    await check('wizard: approved panel');
    await wizard.generateManually.click();
    await page.getByTestId('generate-lessons').click();
    await expect(page.getByTestId('lessons-review')).toBeVisible({ timeout: 30_000 });
    await check('wizard: lessons');
    await page.getByTestId('continue-to-tasks').click();
    await page.getByTestId('generate-tasks').click();
    await expect(page.getByTestId('tasks-review')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('review-task').first().locator('summary').click();
    await check('wizard: tasks');
    await page.getByTestId('continue-to-review').click();
    await expect(page.getByTestId('review-tree')).toBeVisible();
    await check('wizard: review');

    // The course page, with a lesson's rendered content open.
    await page.getByTestId('wizard-open-course').click();
    await expect(page.getByTestId('course-title')).toBeVisible();
    await page.locator('details summary').first().click();
    await check('course page');

    // A queued job: the dashboard and its job page.
    const courseId = await uploadCourse(page.request, {
      title: 'Accessibility check course',
      projects: projects('Accessibility check course', 1),
    });
    const jobId = await queueCourse(page.request, courseId);
    await page.goto(`/admin/course-generation-queue/${jobId}`);
    await expect(page.getByTestId('job-status')).toBeVisible();
    await expect(page.getByTestId('log-line').first()).toBeVisible();
    await check('job page');

    await page.goto('/admin/usage');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await check('usage');

    await page.goto('/admin/settings');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await check('settings');

    await page.goto('/admin/course-generation-queue');
    await expect(page.getByText('Accessibility check course').first()).toBeVisible();
    await check('generation queue');
  });
});
