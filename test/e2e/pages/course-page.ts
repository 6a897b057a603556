import type { Locator, Page } from '@playwright/test';

/** `/admin/courses/:id`. Tree nodes: `tree-project-<id>`, `tree-lesson-<id>`, `tree-task-<id>`. */
export class CoursePage {
  readonly title: Locator;
  readonly status: Locator;
  readonly counts: Locator;
  readonly publish: Locator;
  readonly unpublish: Locator;
  readonly publishError: Locator;
  readonly projects: Locator;
  readonly lessons: Locator;
  readonly tasks: Locator;
  readonly jobs: Locator;
  readonly usage: Locator;

  constructor(private readonly page: Page) {
    this.title = page.getByTestId('course-title');
    this.status = page.getByTestId('course-status');
    this.counts = page.getByTestId('course-counts');
    this.publish = page.getByTestId('publish');
    this.unpublish = page.getByTestId('unpublish');
    this.publishError = page.getByTestId('publish-error');
    this.projects = page.locator('[data-testid^="tree-project-"]');
    this.lessons = page.locator('[data-testid^="tree-lesson-"]');
    this.tasks = page.locator('[data-testid^="tree-task-"]');
    this.jobs = page.getByTestId('course-jobs');
    this.usage = page.getByTestId('usage-totals');
  }

  async goto(courseId: string): Promise<void> {
    await this.page.goto(`/admin/courses/${encodeURIComponent(courseId)}`);
  }
}
