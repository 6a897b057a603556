import { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { routes } from './app.routes';
import { CoursePage } from './course/course-page';
import { CurriculumPage } from './curriculum/curriculum-page';
import { NotFoundPage } from './layout/not-found-page';
import { QueuePage } from './queue/queue-page';
import { WizardPage } from './wizard/wizard-page';

describe('routes', () => {
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter(routes, withComponentInputBinding())] });
    harness = await RouterTestingHarness.create();
  });

  const heading = (): string | undefined =>
    harness.routeNativeElement?.querySelector('h1')?.textContent?.trim();

  const cases: [url: string, page: Type<unknown>, heading: string][] = [
    ['/curriculum', CurriculumPage, 'Curriculum'],
    ['/courses/new', WizardPage, 'New course'],
    ['/course-generation-queue', QueuePage, 'Generation Queue'],
    ['/courses/42', CoursePage, 'Course'],
  ];

  it.each(cases)('deep link %s resolves to its lazy page', async (url, page, expected) => {
    // navigateByUrl with a type throws if the routed component is of another type.
    await harness.navigateByUrl(url, page);
    expect(heading()).toBe(expected);
  });

  it('redirects the empty path to the curriculum', async () => {
    await harness.navigateByUrl('/', CurriculumPage);
    expect(TestBed.inject(Router).url).toBe('/curriculum');
  });

  it('binds the :id route parameter to the course page input', async () => {
    const page = await harness.navigateByUrl('/courses/c-123', CoursePage);
    expect(page.id()).toBe('c-123');
    expect(harness.routeNativeElement?.querySelector('[data-testid="course-id"]')?.textContent).toBe('c-123');
  });

  it('shows "Page not found" for unknown paths', async () => {
    await harness.navigateByUrl('/no/such/page', NotFoundPage);
    expect(heading()).toBe('Page not found');
  });

  it('does not route the Bull Board path: /queues is not an app page', async () => {
    await harness.navigateByUrl('/queues', NotFoundPage);
    expect(heading()).toBe('Page not found');
  });
});
