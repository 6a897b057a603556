import { type Locator, type Page, expect } from '@playwright/test';

export interface CourseTopic {
  topic: string;
  audience?: string;
  level?: 'beginner' | 'intermediate' | 'advanced';
  language?: string;
  projects?: number;
}

/** `/admin/courses/new`. */
export class WizardPage {
  readonly generateOutlines: Locator;
  readonly approve: Locator;
  readonly approvedPanel: Locator;
  readonly approvedTitle: Locator;
  readonly approvedSummary: Locator;
  readonly generateAndQueue: Locator;
  readonly generateManually: Locator;
  readonly autoPublish: Locator;
  readonly sampleNote: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.generateOutlines = page.getByTestId('generate-outlines');
    this.approve = page.getByTestId('approve-outline');
    this.approvedPanel = page.getByTestId('approved-panel');
    this.approvedTitle = page.getByTestId('approved-title');
    this.approvedSummary = page.getByTestId('approved-summary');
    this.generateAndQueue = page.getByTestId('generate-and-queue');
    this.generateManually = page.getByTestId('generate-manually');
    this.autoPublish = page.getByTestId('auto-publish').locator('input[type=checkbox]');
    this.sampleNote = page.getByTestId('sample-provider-note');
    this.error = page.getByTestId('wizard-error');
  }

  async goto(): Promise<void> {
    await this.page.goto('/admin/courses/new');
  }

  async fillTopic(input: CourseTopic): Promise<void> {
    await this.page.getByTestId('wizard-topic').fill(input.topic);
    if (input.audience !== undefined) await this.page.getByTestId('wizard-audience').fill(input.audience);
    if (input.level !== undefined) await this.page.getByTestId('wizard-level').selectOption(input.level);
    if (input.language !== undefined) await this.page.getByTestId('wizard-language').fill(input.language);
    if (input.projects !== undefined)
      await this.page.getByTestId('wizard-project-count').fill(String(input.projects));
  }

  proposal(index: number) {
    return this.page.getByTestId(`proposal-card-${index}`);
  }

  /** Topic → outlines → choose `index` → approve; ends on the "Course Structure Approved" panel. */
  async approveOutline(input: CourseTopic, index = 0): Promise<void> {
    await this.fillTopic(input);
    await this.generateOutlines.click();
    await expect(this.proposal(index)).toBeVisible({ timeout: 60_000 });
    await this.proposal(index).click();
    await this.approve.click();
    await expect(this.approvedPanel).toBeVisible();
  }

  async setAutoPublish(on: boolean): Promise<void> {
    await this.autoPublish.setChecked(on);
  }
}
