import { type Locator, type Page, expect } from '@playwright/test';

export type QueueFilter = 'all' | 'running' | 'completed' | 'failed';

/** `/admin/course-generation-queue`. Rows are `job-row-<job id>` and carry `data-course-title`. */
export class QueuePage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly lastUpdated: Locator;
  readonly live: Locator;
  readonly refreshError: Locator;
  readonly empty: Locator;
  readonly newCourse: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Generation Queue' });
    this.table = page.getByTestId('queue-table');
    this.lastUpdated = page.getByTestId('queue-last-updated');
    this.live = page.getByTestId('queue-live');
    this.refreshError = page.getByTestId('queue-refresh-error');
    this.empty = page.getByTestId('queue-empty');
    this.newCourse = page.getByTestId('queue-new-course');
  }

  async goto(): Promise<void> {
    await this.page.goto('/admin/course-generation-queue');
  }

  filter(name: QueueFilter): Locator {
    return this.page.getByTestId(`queue-filter-${name}`);
  }

  row(jobId: string): Locator {
    return this.page.getByTestId(`job-row-${jobId}`);
  }

  rowByTitle(title: string): Locator {
    return this.page.locator(`tr[data-course-title="${title.replace(/"/g, '\\"')}"]`).first();
  }

  status(row: Locator): Locator {
    return row.getByTestId('job-status');
  }

  progress(row: Locator): Locator {
    return row.getByTestId('job-progress');
  }

  /** Cancel asks for confirmation in a dialog. */
  async cancel(row: Locator): Promise<void> {
    await row.getByTestId('job-cancel').click();
    await this.page.getByTestId('confirm-yes').click();
  }

  /** Retry asks for confirmation (saying how many steps will run again) in a dialog. */
  async retry(row: Locator): Promise<void> {
    await row.getByTestId('job-retry').click();
    await this.page.getByTestId('confirm-yes').click();
  }

  /** The course title links to the job's page. */
  async openJob(row: Locator): Promise<void> {
    await row.getByTestId('job-title').click();
  }

  viewCourse(row: Locator): Locator {
    return row.getByTestId('job-view-course');
  }

  /** The log lines of an expanded row (the viewer lives in the row after it). */
  async openLogs(jobId: string): Promise<Locator> {
    await this.row(jobId).getByTestId('job-logs-toggle').click();
    const viewer = this.page.getByTestId(`job-logs-row-${jobId}`).getByTestId('job-logs');
    await expect(viewer).toBeVisible();
    return viewer.getByTestId('log-line');
  }

  async waitForStatus(row: Locator, label: string, timeout = 60_000): Promise<void> {
    await expect(this.status(row)).toHaveText(label, { timeout });
  }
}
