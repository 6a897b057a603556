import type { Locator, Page } from '@playwright/test';

/** A lesson on the course page (`tree-lesson-<id>`): its tasks, Regenerate tasks…, History, and "Regenerating…". */
export class LessonNode {
  readonly root: Locator;
  readonly tasks: Locator;
  readonly regenerate: Locator;
  readonly history: Locator;
  readonly regenerating: Locator;

  constructor(
    page: Page,
    readonly id: string,
  ) {
    this.root = page.getByTestId(`tree-lesson-${id}`);
    this.tasks = this.root.locator('[data-testid^="tree-task-"]');
    this.regenerate = this.root.getByTestId('regenerate-tasks');
    this.history = this.root.getByTestId('history-lesson');
    this.regenerating = this.root.getByTestId(`regenerating-${id}`);
  }

  /** The ids of its tasks, in order. */
  async taskIds(): Promise<string[]> {
    const ids = await this.tasks.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('data-testid')),
    );
    return ids.map((id) => (id ?? '').replace(/^tree-task-/, ''));
  }
}

/** The Regenerate… dialog. */
export class RegenerateDialogPage {
  readonly title: Locator;
  readonly instructions: Locator;
  readonly counter: Locator;
  readonly calls: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.title = page.getByTestId('regenerate-title');
    this.instructions = page.getByTestId('regenerate-instructions');
    this.counter = page.getByTestId('regenerate-counter');
    this.calls = page.getByTestId('regenerate-calls');
    this.submit = page.getByTestId('regenerate-submit');
    this.error = page.getByTestId('regenerate-error');
  }
}

/** The History dialog: versions (`history-version-<id>`), the diff, Restore this version. */
export class HistoryDialogPage {
  readonly title: Locator;
  readonly versions: Locator;
  readonly causes: Locator;
  readonly removed: Locator;
  readonly added: Locator;
  readonly legend: Locator;
  readonly restore: Locator;
  readonly close: Locator;

  constructor(private readonly page: Page) {
    this.title = page.getByTestId('history-title');
    this.versions = page.locator('[data-version]');
    this.causes = page.getByTestId('version-cause');
    this.removed = page.getByTestId('diff-removed');
    this.added = page.getByTestId('diff-added');
    this.legend = page.getByTestId('diff-legend');
    this.restore = page.getByTestId('history-restore');
    this.close = page.getByTestId('history-close');
  }

  /** Restore this version, confirmed in the shared confirm dialog; returns the question asked. */
  async restoreSelected(): Promise<string> {
    await this.restore.click();
    const dialog = this.page.locator('cl-confirm-dialog');
    const question = (await dialog.locator('mat-dialog-content').innerText()).trim();
    await dialog.getByTestId('confirm-yes').click();
    return question;
  }
}
