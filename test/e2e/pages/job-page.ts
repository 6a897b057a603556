import { type Locator, type Page, expect } from '@playwright/test';

/** `/admin/course-generation-queue/:jobId`: a job's header, its step tree and its log. */
export class JobPage {
  readonly title: Locator;
  readonly status: Locator;
  readonly failure: Locator;
  readonly retryButton: Locator;
  readonly live: Locator;
  readonly runNote: Locator;
  readonly tree: Locator;
  /** Every step of the tree (a project's lessons step, a lesson's tasks step). */
  readonly steps: Locator;
  readonly lessons: Locator;
  readonly logLines: Locator;

  constructor(private readonly page: Page) {
    this.title = page.getByTestId('job-page-title');
    this.status = page.getByTestId('job-status');
    this.failure = page.getByTestId('job-failure');
    this.retryButton = page.getByTestId('job-retry');
    this.live = page.getByTestId('job-page-live');
    this.runNote = page.getByTestId('job-run-note');
    this.tree = page.getByTestId('step-tree');
    this.steps = this.tree.getByTestId('step-node');
    this.lessons = this.tree.getByTestId('step-lesson');
    this.logLines = page.getByTestId('log-line');
  }

  async goto(jobId: string): Promise<void> {
    await this.page.goto(`/admin/course-generation-queue/${jobId}`);
  }

  /** Lessons whose tasks step has this status. */
  lessonsWithStatus(status: string): Locator {
    return this.lessons.filter({
      has: this.page.locator(`[data-testid="step-node"][data-status="${status}"]`),
    });
  }

  /** Retry asks for confirmation; returns what the dialog said. */
  async retry(): Promise<string> {
    await this.retryButton.click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    const text = (await dialog.textContent()) ?? '';
    await this.page.getByTestId('confirm-yes').click();
    return text;
  }
}
