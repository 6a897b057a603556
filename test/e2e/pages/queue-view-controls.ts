import { type Locator, type Page } from '@playwright/test';

/**
 * The dashboard's view controls at scale (docs/queue.md, "Listing jobs" and "Bulk actions"): the paginator, the
 * search box, the "Started by" select and the date range, row selection and the bulk actions. The rest of the page
 * (rows, statuses, the status filter) is QueuePage's.
 */
export class QueueViewControls {
  readonly rows: Locator;
  readonly paginator: Locator;
  /** "26 – 28 of 28". */
  readonly range: Locator;
  readonly nextPage: Locator;
  readonly search: Locator;
  readonly createdTo: Locator;
  readonly clearFilters: Locator;
  readonly selectPage: Locator;
  readonly selectedCount: Locator;
  readonly bulkRetry: Locator;
  readonly bulkCounts: Locator;
  readonly retryAllFailed: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.rows = page.locator('tr.job-row');
    this.paginator = page.getByTestId('queue-paginator');
    this.range = this.paginator.locator('.mat-mdc-paginator-range-label');
    this.nextPage = this.paginator.getByRole('button', { name: 'Next page' });
    this.search = page.getByTestId('queue-search');
    this.createdTo = page.getByTestId('queue-to');
    this.clearFilters = page.getByTestId('queue-clear-filters');
    this.selectPage = page.getByTestId('queue-select-page').getByRole('checkbox');
    this.selectedCount = page.getByTestId('queue-selected-count');
    this.bulkRetry = page.getByTestId('queue-bulk-retry');
    this.bulkCounts = page.getByTestId('queue-bulk-counts');
    this.retryAllFailed = page.getByTestId('queue-retry-all-failed');
    this.dialog = page.getByRole('dialog');
  }

  /** The paginator's "Items per page" select, from the keyboard (Material lays a touch target over it). */
  async setPageSize(size: 25 | 50 | 100): Promise<void> {
    await this.paginator.getByRole('combobox').press('Enter');
    await this.page.getByRole('option', { name: String(size), exact: true }).click();
  }

  /** "Started by": `Me` or `Anyone in my organization`. */
  async startedBy(who: 'Me' | 'Anyone in my organization'): Promise<void> {
    await this.page.getByTestId('queue-user').click();
    await this.page.getByRole('option', { name: who, exact: true }).click();
  }

  /** A row's checkbox. */
  rowCheckbox(row: Locator): Locator {
    return row.getByTestId('job-select').getByRole('checkbox');
  }

  /** The `job-row-<id>` ids of the rows shown, top to bottom. */
  async rowIds(): Promise<string[]> {
    const testIds = await this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    return testIds.map((testId) => (testId ?? '').replace(/^job-row-/, ''));
  }

  async rowTitles(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-course-title') ?? ''));
  }
}
