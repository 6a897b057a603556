import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { GenerateOutlinesResponse, GenerationEstimate, PublishConflict } from '@contracts/api';

import { aCourseDetail, aLesson, anOutline, aProject } from '../testing/builders';
import { WizardStore } from './wizard-store';

const GEN = '/api/admin/curriculum/generate';
const ESTIMATE: GenerationEstimate = {
  model_calls: 20,
  prompt_tokens: 40_000,
  completion_tokens: 8_000,
  cost_usd: 0.03,
  minutes: 2,
  from_history: true,
};
const REQUEST = {
  topic: 'Board games',
  audience: 'hobbyists',
  level: 'beginner' as const,
  language: 'en',
  project_count: 3,
};

describe('WizardStore', () => {
  let store: WizardStore;
  let http: HttpTestingController;

  const outlines = (sample = true): GenerateOutlinesResponse => ({
    outlines: [anOutline('Board Games A'), anOutline('Board Games B', 2)],
    provider: { name: 'sample', model: 'sample-1', sample },
  });

  /** Topic → proposals → choose the first → approve → the approved panel. */
  const approveFirst = (): void => {
    store.generateOutlines(REQUEST);
    http.expectOne(`${GEN}/outlines`).flush(outlines());
    store.select(0);
    store.approve();
    http.expectOne(`${GEN}/outlines/approve`).flush({ course_id: 'course-1' });
    http.expectOne({ method: 'GET', url: `${GEN}/course-1/estimate` }).flush(ESTIMATE);
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), WizardStore],
    });
    store = TestBed.inject(WizardStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('exposes its state read-only: pages change it only through methods', () => {
    for (const state of [
      store.step,
      store.busy,
      store.error,
      store.draft,
      store.selected,
      store.autoPublish,
    ]) {
      expect('set' in state).toBe(false);
    }
    store.setAutoPublish(false);
    expect(store.autoPublish()).toBe(false);
  });

  it('does not call back when queueing fails', () => {
    approveFirst();
    const queued = vi.fn();
    store.queue(queued);
    http
      .expectOne(`${GEN}/course-1/queue`)
      .flush({ statusCode: 500, message: 'Internal server error' }, { status: 500, statusText: 'Error' });
    expect(queued).not.toHaveBeenCalled();
    expect(store.error()).toBe('Internal server error');
    expect(store.busy()).toBeNull();
  });

  it('starts at the topic form', () => {
    expect(store.step()).toBe('topic');
    expect(store.busy()).toBeNull();
    expect(store.autoPublish()).toBe(true);
  });

  it('generates outlines: busy while waiting, then the proposals with nothing chosen yet', () => {
    store.generateOutlines(REQUEST);
    const request = http.expectOne({ method: 'POST', url: `${GEN}/outlines` });
    expect(request.request.body).toEqual(REQUEST);
    expect(store.busy()).toBe('outlines');
    expect(store.step()).toBe('topic');

    request.flush(outlines());
    expect(store.busy()).toBeNull();
    expect(store.step()).toBe('outlines');
    expect(store.outlines()).toHaveLength(2);
    expect(store.sample()).toBe(true);
    expect(store.selected()).toBeNull();
    expect(store.canApprove()).toBe(false);
  });

  it('stays on the form with the error when generation fails', () => {
    store.generateOutlines(REQUEST);
    http
      .expectOne(`${GEN}/outlines`)
      .flush(
        { statusCode: 502, message: 'The model answered garbage', error: 'Bad Gateway' },
        { status: 502, statusText: 'Bad Gateway' },
      );
    expect(store.step()).toBe('topic');
    expect(store.error()).toBe('The model answered garbage');
    expect(store.busy()).toBeNull();
  });

  it('selecting a proposal makes an editable copy; edits never touch the proposals', () => {
    store.generateOutlines(REQUEST);
    http.expectOne(`${GEN}/outlines`).flush(outlines());

    store.select(1);
    expect(store.selected()).toBe(1);
    store.setTitle('My own title');
    store.updateProject(0, { title: 'Renamed' });
    expect(store.draft()?.title).toBe('My own title');
    expect(store.draft()?.projects[0].title).toBe('Renamed');
    expect(store.outlines()[1].title).toBe('Board Games B');
    expect(store.outlines()[1].projects[0].title).not.toBe('Renamed');

    store.select(0);
    expect(store.draft()?.title).toBe('Board Games A');
  });

  it('adds, removes and reorders projects', () => {
    store.generateOutlines(REQUEST);
    http.expectOne(`${GEN}/outlines`).flush(outlines());
    store.select(0);
    const titles = (): string[] => store.draft()?.projects.map((p) => p.title) ?? [];
    const [first, second, third] = titles();

    store.moveProject(0, 1);
    expect(titles()).toEqual([second, first, third]);
    store.moveProject(0, -1); // already first: nothing moves
    expect(titles()).toEqual([second, first, third]);
    store.removeProject(1);
    expect(titles()).toEqual([second, third]);
    store.addProject();
    expect(titles()).toEqual([second, third, '']);
    expect(store.canApprove()).toBe(false); // an untitled project
    store.updateProject(2, { title: 'Playtesting' });
    expect(store.canApprove()).toBe(true);
    expect(store.projectCount()).toBe(3);
  });

  it('approves the edited outline with the topic fields, then shows the approved panel', () => {
    store.generateOutlines(REQUEST);
    http.expectOne(`${GEN}/outlines`).flush(outlines());
    store.select(0);
    store.setTitle('  Build a Board Game from Scratch  ');
    store.approve();

    const request = http.expectOne({ method: 'POST', url: `${GEN}/outlines/approve` });
    expect(request.request.body).toMatchObject({
      topic: 'Board games',
      audience: 'hobbyists',
      level: 'beginner',
      language: 'en',
      outline: { title: 'Build a Board Game from Scratch' },
    });
    expect(store.busy()).toBe('approve');
    request.flush({ course_id: 'course-1' });

    expect(store.step()).toBe('approved');
    expect(store.courseId()).toBe('course-1');
    expect(store.projectCount()).toBe(3);
    http.expectOne(`${GEN}/course-1/estimate`).flush(ESTIMATE);
  });

  describe('on the approved panel', () => {
    it('loads the estimate of queueing the course', () => {
      approveFirst();
      expect(store.estimate()).toEqual(ESTIMATE);
      expect(store.estimateError()).toBeNull();
    });

    it('says why when the estimate cannot be loaded, and still lets the course be queued', () => {
      store.generateOutlines(REQUEST);
      http.expectOne(`${GEN}/outlines`).flush(outlines());
      store.select(0);
      store.approve();
      http.expectOne(`${GEN}/outlines/approve`).flush({ course_id: 'course-1' });
      http
        .expectOne(`${GEN}/course-1/estimate`)
        .flush({ statusCode: 500, message: 'Internal server error' }, { status: 500, statusText: 'Error' });
      expect(store.estimate()).toBeNull();
      expect(store.estimateError()).toBe('Internal server error');
      expect(store.step()).toBe('approved');
    });

    it('sends a cost cap typed in the "Cost cap (USD)" field as max_cost_usd', () => {
      approveFirst();
      store.setCostCap(' 0.75 ');
      store.queue(() => undefined);
      const request = http.expectOne({ method: 'POST', url: `${GEN}/course-1/queue` });
      expect(request.request.body).toEqual({ auto_publish: true, max_cost_usd: 0.75 });
      request.flush({ success: true, job_id: 'job-8' });
    });

    it('refuses to queue with a cost cap that is not an amount', () => {
      approveFirst();
      store.setCostCap('0');
      expect(store.costCapError()).toBe('Enter an amount above $0');
      expect(() => store.queue(() => undefined)).toThrow('invalid cost cap');
    });

    it('a 402 shows the message naming the monthly budget and marks the budget as used up', () => {
      approveFirst();
      store.queue(() => undefined);
      const message = "The organization's monthly model budget of $0.50 is used up ($0.51 spent in 2026-11)";
      http
        .expectOne(`${GEN}/course-1/queue`)
        .flush({ statusCode: 402, message }, { status: 402, statusText: 'Payment Required' });
      expect(store.error()).toBe(message);
      expect(store.budgetExhausted()).toBe(true);
      expect(store.activeJobId()).toBeNull();
    });
  });

  it('Generate & Queue posts auto_publish and emits the job', () => {
    approveFirst();
    store.setAutoPublish(false);
    let jobId: string | undefined;
    store.queue((response) => (jobId = response.job_id));

    const request = http.expectOne({ method: 'POST', url: `${GEN}/course-1/queue` });
    expect(request.request.body).toEqual({ auto_publish: false });
    expect(store.busy()).toBe('queue');
    request.flush({ success: true, job_id: 'job-7' });
    expect(jobId).toBe('job-7');
    expect(store.busy()).toBeNull();
  });

  it('a 409 on queue keeps the panel and remembers the active job', () => {
    approveFirst();
    store.queue(() => undefined);
    http.expectOne(`${GEN}/course-1/queue`).flush(
      {
        statusCode: 409,
        message: 'A generation job is already active',
        error: 'Conflict',
        job_id: 'job-3',
      },
      { status: 409, statusText: 'Conflict' },
    );
    expect(store.step()).toBe('approved');
    expect(store.activeJobId()).toBe('job-3');
    expect(store.error()).toBe('A generation job is already active');
  });

  it('Generate Manually walks lessons → continue → tasks → continue → review → publish', () => {
    approveFirst();
    store.startManual();
    expect(store.step()).toBe('lessons');

    store.continueToTasks(); // nothing generated yet: stays
    expect(store.step()).toBe('lessons');
    store.generateLessons();
    const lessons = http.expectOne({ method: 'POST', url: `${GEN}/course-1/lessons` });
    expect(store.busy()).toBe('lessons');
    lessons.flush({ projects: [aProject()] });
    expect(store.projects()).toHaveLength(1);

    store.continueToTasks();
    expect(store.step()).toBe('tasks');
    store.generateTasks();
    http.expectOne({ method: 'POST', url: `${GEN}/course-1/tasks` }).flush({ lessons: [aLesson()] });

    store.continueToReview();
    expect(store.step()).toBe('review');
    http.expectOne('/api/admin/curriculum/courses/course-1').flush(aCourseDetail());
    expect(store.course()?.id).toBe('course-1');

    store.publish();
    http.expectOne({ method: 'POST', url: '/api/admin/curriculum/courses/course-1/publish' }).flush({});
    expect(store.published()).toBe(true);
  });

  it('shows what is missing when publishing answers 409', () => {
    approveFirst();
    store.startManual();
    const conflict: PublishConflict = {
      statusCode: 409,
      message: 'The course is incomplete',
      error: 'Conflict',
      missing: { projects_without_lessons: ['Design'], lessons_without_tasks: [] },
    };
    store.publish();
    http
      .expectOne('/api/admin/curriculum/courses/course-1/publish')
      .flush(conflict, { status: 409, statusText: 'Conflict' });
    expect(store.published()).toBe(false);
    expect(store.publishConflict()).toEqual(conflict.missing);
    expect(store.error()).toBe('The course is incomplete');
  });

  it('ignores edits and manual steps out of turn', () => {
    store.setTitle('x');
    store.startManual();
    expect(store.draft()).toBeNull();
    expect(store.step()).toBe('topic');
  });
});
