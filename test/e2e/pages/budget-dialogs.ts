import { type Locator, type Page } from '@playwright/test';

/** The Resume dialog of a paused job (dashboard or job page). */
export class ResumeDialog {
  readonly reason: Locator;
  readonly facts: Locator;
  readonly cap: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.reason = page.getByTestId('resume-reason');
    this.facts = page.getByTestId('resume-facts');
    this.cap = page.getByTestId('resume-cap');
    this.submit = page.getByTestId('resume-submit');
    this.error = page.getByTestId('resume-error');
  }
}
