import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { aCourseDetail, aCompletedJob, aJobList, aLesson, aProject } from '../testing/builders';
import { CoursePage } from './course-page';

const COURSE = '/api/admin/curriculum/courses/course-1';

describe('CoursePage', () => {
  let fixture: ComponentFixture<CoursePage>;
  let http: HttpTestingController;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string): HTMLElement | null => el().querySelector(`[data-testid="${id}"]`);
  const render = async (): Promise<void> => {
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
  };
  const flushJobs = (): void =>
    http
      .expectOne((req) => req.url === '/api/admin/curriculum/generate/jobs')
      .flush(aJobList([aCompletedJob({ id: 'j-1' }), aCompletedJob({ id: 'j-other', course_id: 'other' })]));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CoursePage);
    fixture.componentRef.setInput('id', 'course-1');
    await render();
  });

  afterEach(() => http.verify());

  it('renders the tree with Markdown, sanitized', async () => {
    expect(byTestId('course-loading')).not.toBeNull();
    const lesson = aLesson({
      content: '# Mechanics\n\nA **rule**. <img src="x" onerror="alert(1)"><script>alert(2)</script>',
    });
    http.expectOne(COURSE).flush(aCourseDetail({ projects: [aProject({ lessons: [lesson] })] }));
    flushJobs();
    await render();

    expect(byTestId('course-title')?.textContent).toContain('Build a Board Game from Scratch');
    expect(byTestId('tree-project-project-1')).not.toBeNull();
    expect(byTestId('tree-lesson-lesson-1')).not.toBeNull();
    expect(byTestId('tree-task-task-1')).not.toBeNull();
    const content = byTestId('lesson-content') as HTMLElement;
    expect(content.querySelector('h1')?.textContent).toBe('Mechanics');
    expect(content.querySelector('strong')?.textContent).toBe('rule');
    expect(content.innerHTML).not.toContain('onerror');
    expect(content.querySelector('script')).toBeNull();
    expect(byTestId('course-job-j-1')).not.toBeNull();
    expect(byTestId('course-job-j-other')).toBeNull();
    expect(byTestId('usage-totals')?.textContent).toContain('1 model calls');
  });

  it('shows the 409 reason when publishing an incomplete course', async () => {
    http.expectOne(COURSE).flush(aCourseDetail());
    flushJobs();
    await render();

    byTestId('publish')?.click();
    http.expectOne({ method: 'POST', url: `${COURSE}/publish` }).flush(
      {
        statusCode: 409,
        message: 'The course is not complete',
        error: 'Conflict',
        missing: { projects_without_lessons: ['Playtesting'], lessons_without_tasks: ['Rules'] },
      },
      { status: 409, statusText: 'Conflict' },
    );
    await render();
    const error = byTestId('publish-error')?.textContent ?? '';
    expect(error).toContain('The course is not complete');
    expect(error).toContain('Projects without lessons: Playtesting');
    expect(error).toContain('Lessons without tasks: Rules');
  });

  it('saves an inline edit with PATCH and reloads the course', async () => {
    http.expectOne(COURSE).flush(aCourseDetail());
    flushJobs();
    await render();

    byTestId('project-title-0-edit')?.click();
    await render();
    const input = byTestId('project-title-0-input') as HTMLInputElement;
    input.value = 'A better title';
    input.dispatchEvent(new Event('input'));
    byTestId('project-title-0-save')?.click();

    const patch = http.expectOne({ method: 'PATCH', url: '/api/admin/curriculum/projects/project-1' });
    expect(patch.request.body).toEqual({ title: 'A better title' });
    patch.flush({});
    await render();
    http.expectOne(COURSE).flush(aCourseDetail());
  });

  it('shows "There is no such course." for a 404', async () => {
    http
      .expectOne(COURSE)
      .flush(
        { statusCode: 404, message: 'Not Found', error: 'Not Found' },
        { status: 404, statusText: 'Not Found' },
      );
    flushJobs();
    await render();
    expect(byTestId('course-error')?.textContent).toContain('There is no such course.');
  });
});
