import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { HttpRequest } from '@angular/common/http';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import type { JobView } from '@contracts/api';
import { BehaviorSubject, of } from 'rxjs';

import { PAGE_VISIBLE } from '../shared/page-visibility';
import {
  aCourseDetail,
  aCompletedJob,
  aJobDetail,
  aJobList,
  aLesson,
  aProject,
  aRegenerationJob,
} from '../testing/builders';
import { CoursePage } from './course-page';
import { HistoryDialog } from './history-dialog';
import { RegenerateDialog } from './regenerate-dialog';

const COURSE = '/api/admin/curriculum/courses/course-1';
const JOBS = '/api/admin/curriculum/generate/jobs';

describe('CoursePage', () => {
  let fixture: ComponentFixture<CoursePage>;
  let http: HttpTestingController;
  let visible: BehaviorSubject<boolean>;
  /** Dialogs the page opened, and what the next one closes with. */
  let opened: { component: unknown; data: unknown }[];
  let dialogResult: unknown;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string): HTMLElement | null => el().querySelector(`[data-testid="${id}"]`);
  const render = async (): Promise<void> => {
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
  };
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  /** The dialog's answer arrives as a promise: lets it, without rendering (so reloads still merge). */
  const dialogClosed = (): Promise<void> => Promise.resolve();
  /** The jobs table's request (all of the course's jobs). */
  const isJobTable = (req: HttpRequest<unknown>) => req.url === JOBS && !req.params.has('status');
  /** The follower's poll: the course's active jobs. */
  const isActivePoll = (req: HttpRequest<unknown>) =>
    req.url === JOBS && req.params.get('status') === 'active' && req.params.get('course_id') === 'course-1';
  const flushJobs = (
    jobs: JobView[] = [aCompletedJob({ id: 'j-1' }), aCompletedJob({ id: 'j-other', course_id: 'other' })],
  ): void => http.expectOne(isJobTable).flush(aJobList(jobs));
  const flushActive = (jobs: JobView[] = []): void => http.expectOne(isActivePoll).flush(aJobList(jobs));
  /** Hidden then shown: the follower looks again at once (no waiting for its 3 s tick). */
  const pollNow = (): void => {
    visible.next(false);
    visible.next(true);
  };

  beforeEach(async () => {
    visible = new BehaviorSubject(true);
    opened = [];
    dialogResult = undefined;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PAGE_VISIBLE, useValue: visible },
        {
          provide: MatDialog,
          useValue: {
            open: (component: unknown, config: { data: unknown }) => {
              opened.push({ component, data: config.data });
              return { afterClosed: () => of(dialogResult) };
            },
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CoursePage);
    fixture.componentRef.setInput('id', 'course-1');
    await render();
    flushActive();
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
    expect(byTestId('usage-cost')?.textContent?.trim()).toBe('$0.0012');
  });

  it('shows the quality gate’s report of a course it held for review, under the review banner', async () => {
    http.expectOne(COURSE).flush(
      aCourseDetail({
        status: 'ready',
        review_notice: 'Held for review: the quality gate found 1 problem (near-duplicate titles).',
        quality_report: {
          passed: false,
          checked_at: '2024-01-13T09:00:00Z',
          problems: [
            {
              check: 'duplicate_titles',
              severity: 'error',
              item_kind: 'lesson',
              item_id: 'lesson-1',
              item_title: 'Intro to bees!',
              message: 'repeats the title of its sibling lesson "Intro to Bees"',
            },
          ],
          problems_total: 1,
        },
      }),
    );
    flushJobs();
    await render();

    expect(text('review-notice')).toContain('Held for review: the quality gate found 1 problem');
    expect(text('quality-heading')).toBe('Held for review by the quality gate');
    expect(text('quality-problem')).toContain('Lesson “Intro to bees!”');
  });

  it('shows no quality report when the gate never ran or passed cleanly', async () => {
    http.expectOne(COURSE).flush(aCourseDetail());
    flushJobs();
    await render();
    expect(byTestId('quality-report')).toBeNull();
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

  describe('when the course went back to review after a regeneration', () => {
    it('shows the notice as a banner with a Publish action', async () => {
      const notice =
        'The tasks of “Mechanics” were regenerated on 14 Jan 2024; review the course and publish it again.';
      http.expectOne(COURSE).flush(aCourseDetail({ status: 'ready', review_notice: notice }));
      flushJobs();
      await render();

      expect(text('review-notice')).toContain(notice);
      byTestId('review-publish')?.click();
      http.expectOne({ method: 'POST', url: `${COURSE}/publish` }).flush({ success: true });
      await render();
      http.expectOne(COURSE).flush(aCourseDetail({ status: 'published', review_notice: null }));
      await render();
      expect(byTestId('review-notice')).toBeNull();
    });
  });

  describe('Auto-publish updates', () => {
    it('shows the course’s setting and saves a change with PATCH', async () => {
      http.expectOne(COURSE).flush(aCourseDetail({ auto_publish_updates: false }));
      flushJobs();
      await render();

      const checkbox = byTestId('auto-publish-updates')?.querySelector('input') as HTMLInputElement;
      expect(checkbox.checked).toBe(false);
      checkbox.click();
      const patch = http.expectOne({ method: 'PATCH', url: COURSE });
      expect(patch.request.body).toEqual({ auto_publish_updates: true });
      patch.flush({});
      await render();
      http.expectOne(COURSE).flush(aCourseDetail({ auto_publish_updates: true }));
    });
  });

  describe('Regenerate…', () => {
    it('opens the dialog for a lesson’s tasks, then follows the queued job until it completes', async () => {
      http.expectOne(COURSE).flush(aCourseDetail());
      flushJobs();
      await render();

      dialogResult = 'job-regen';
      byTestId('regenerate-tasks')?.click();
      expect(opened).toEqual([
        {
          component: RegenerateDialog,
          data: {
            courseId: 'course-1',
            target: 'lesson_tasks',
            itemId: 'lesson-1',
            itemTitle: 'Understanding Game Mechanics',
            lessonCount: 0,
          },
        },
      ]);
      await dialogClosed();
      // Following the job: at once, and the jobs table shows it.
      flushActive([aRegenerationJob({ course_id: 'course-1' })]);
      await render();
      flushJobs([aRegenerationJob({ course_id: 'course-1' })]);
      await render();
      expect(byTestId('regenerating-lesson-1')?.textContent).toContain('Regenerating…');
      expect(byTestId('regenerating-lesson-1')?.querySelector('a')?.getAttribute('href')).toBe(
        '/course-generation-queue/job-regen',
      );
      expect(byTestId('regenerating-project-1')).toBeNull();
      expect(text('course-active-job')).toContain('Regeneration: tasks of “Understanding Game Mechanics”');
      expect(text('course-job-type')).toBe('Regeneration: tasks of “Understanding Game Mechanics”');
      expect((byTestId('regenerate-lessons') as HTMLButtonElement).disabled).toBe(true);

      // It completes: the course is read again with its new tasks.
      pollNow();
      flushActive([]);
      http
        .expectOne(`${JOBS}/job-regen`)
        .flush(aJobDetail(aCompletedJob({ id: 'job-regen', job_type: 'course_regeneration' })));
      await render();
      http.expectOne(COURSE).flush(aCourseDetail());
      flushJobs();
      await render();
      expect(byTestId('regenerating-lesson-1')).toBeNull();
      expect(byTestId('course-active-job')).toBeNull();
      expect((byTestId('regenerate-tasks') as HTMLButtonElement).disabled).toBe(false);
    });

    it('offers a project’s lessons with its current lesson count', async () => {
      http
        .expectOne(COURSE)
        .flush(aCourseDetail({ projects: [aProject({ lessons: [aLesson(), aLesson({ id: 'l-2' })] })] }));
      flushJobs();
      await render();

      byTestId('regenerate-lessons')?.click();
      expect(opened[0].data).toEqual(
        expect.objectContaining({ target: 'project_lessons', itemId: 'project-1', lessonCount: 2 }),
      );
      // Cancelled: nothing is queued or followed.
    });

    it('says when the regeneration failed, with a link to the job', async () => {
      http.expectOne(COURSE).flush(aCourseDetail());
      flushJobs();
      await render();

      dialogResult = 'job-regen';
      byTestId('regenerate-tasks')?.click();
      await dialogClosed();
      flushActive([]);
      http
        .expectOne(`${JOBS}/job-regen`)
        .flush(
          aJobDetail(aRegenerationJob({ status: 'failed', error_message: 'The model returned no tasks' })),
        );
      await render();
      http.expectOne(COURSE).flush(aCourseDetail());
      // Reloaded once for the queued job and once for its end, in one go: one request.
      flushJobs();
      await render();

      expect(text('course-job-ended')).toContain(
        'Regeneration: tasks of “Understanding Game Mechanics” failed: The model returned no tasks',
      );
      expect(byTestId('course-job-ended-link')?.getAttribute('href')).toBe(
        '/course-generation-queue/job-regen',
      );
    });
  });

  describe('History', () => {
    it('opens the lesson’s versions, and reloads the course after a restore', async () => {
      http.expectOne(COURSE).flush(aCourseDetail());
      flushJobs();
      await render();

      dialogResult = { course: aCourseDetail(), version_id: 'v-2' };
      byTestId('history-lesson')?.click();
      expect(opened).toEqual([
        {
          component: HistoryDialog,
          data: {
            courseId: 'course-1',
            itemId: 'lesson-1',
            itemTitle: 'Understanding Game Mechanics',
            itemKind: 'lesson',
          },
        },
      ]);
      await render();
      http.expectOne(COURSE).flush(aCourseDetail());
    });
  });
});
