import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { aCourseSummary } from '../testing/builders';
import { CurriculumPage } from './curriculum-page';
import { uploadFailure } from './upload-error';
import { HttpErrorResponse } from '@angular/common/http';

const COURSES = '/api/admin/curriculum/courses';

describe('CurriculumPage', () => {
  let fixture: ComponentFixture<CurriculumPage>;
  let http: HttpTestingController;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string): HTMLElement | null => el().querySelector(`[data-testid="${id}"]`);
  const render = async (): Promise<void> => {
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
  };

  /** Lets an action's promise settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CurriculumPage);
    await render();
  });

  afterEach(() => http.verify());

  it('lists courses with status and counts, and links to the queue', async () => {
    http
      .expectOne((req) => req.url === COURSES)
      .flush({ items: [aCourseSummary({ status: 'published' })], total: 1, page: 1, page_size: 20 });
    await render();
    const row = byTestId('course-row-course-1') as HTMLElement;
    expect(row.querySelector('[data-testid="course-status"]')?.textContent?.trim()).toBe('Published');
    expect(row.querySelector('[data-testid="course-lessons"]')?.textContent?.trim()).toBe('3');
    expect(byTestId('curriculum-queue-link')?.getAttribute('href')).toBe('/course-generation-queue');
  });

  it('filters by status', async () => {
    http.expectOne((req) => req.url === COURSES).flush({ items: [], total: 0, page: 1, page_size: 20 });
    await render();
    expect(byTestId('courses-empty')?.textContent).toContain('No courses yet');
    const select = byTestId('course-status-filter') as HTMLSelectElement;
    select.value = 'draft';
    select.dispatchEvent(new Event('change'));
    await render();
    const request = http.expectOne((req) => req.url === COURSES);
    expect(request.request.params.get('status')).toBe('draft');
    request.flush({ items: [], total: 0, page: 1, page_size: 20 });
  });

  it('uploads an outline and opens the new course; a 400 shows the failing line', async () => {
    http.expectOne((req) => req.url === COURSES).flush({ items: [], total: 0, page: 1, page_size: 20 });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const input = byTestId('upload-input') as HTMLInputElement;
    const file = new File(['# Course'], 'outline.md', { type: 'text/markdown' });

    Object.defineProperty(input, 'files', { configurable: true, value: [file] });
    input.dispatchEvent(new Event('change'));
    const bad = http.expectOne({ method: 'POST', url: '/api/admin/curriculum/upload' });
    expect((bad.request.body as FormData).get('file')).toBeInstanceOf(File);
    bad.flush(
      { statusCode: 400, message: 'Line 7: a lesson needs a title', error: 'Bad Request', line: 7 },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(byTestId('upload-error-where')?.textContent?.trim()).toBe('Line 7');
    expect(byTestId('upload-error')?.textContent).toContain('a lesson needs a title');

    input.dispatchEvent(new Event('change'));
    http.expectOne('/api/admin/curriculum/upload').flush({ course_id: 'c-new' });
    await settle();
    expect(navigate).toHaveBeenCalledWith(['/courses', 'c-new']);
  });
});

describe('uploadFailure', () => {
  const failure = (status: number, body: unknown) =>
    uploadFailure(new HttpErrorResponse({ status, error: body }));

  it('names the JSON field, the line, or the size', () => {
    expect(
      failure(400, { statusCode: 400, message: 'Required', error: 'Bad Request', path: 'projects[1].title' }),
    ).toEqual({
      message: 'Required',
      where: 'Field projects[1].title',
    });
    expect(
      failure(400, { statusCode: 400, message: 'Bad heading', error: 'Bad Request', line: 3 }).where,
    ).toBe('Line 3');
    expect(failure(413, null).message).toBe('The file is too large.');
  });
});
