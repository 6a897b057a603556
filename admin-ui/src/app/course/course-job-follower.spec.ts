import { provideHttpClient } from '@angular/common/http';
import type { HttpRequest } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { JobView } from '@contracts/api';
import { BehaviorSubject } from 'rxjs';

import { QUEUE_POLL_MS } from '../queue/queue-store';
import { PAGE_VISIBLE } from '../shared/page-visibility';
import { aCompletedJob, aJobDetail, aJobList, aRegenerationJob } from '../testing/builders';
import { CourseJobFollower } from './course-job-follower';

const JOBS = '/api/admin/curriculum/generate/jobs';

describe('CourseJobFollower', () => {
  let http: HttpTestingController;
  let visible: BehaviorSubject<boolean>;
  let follower: CourseJobFollower;
  let ended: JobView[];

  const activeList = (): TestRequest =>
    http.expectOne(
      (req: HttpRequest<unknown>) =>
        req.url === JOBS &&
        req.params.get('status') === 'active' &&
        req.params.get('course_id') === 'course-1' &&
        req.params.get('scope') === 'organization',
      'GET active jobs of course-1',
    );
  const detail = (jobId: string): TestRequest => http.expectOne(`${JOBS}/${jobId}`, `GET job ${jobId}`);
  const tick = (ms = QUEUE_POLL_MS): void => {
    vi.advanceTimersByTime(ms);
  };
  const noRequests = (): void => {
    http.expectNone(() => true);
  };
  const running = (overrides: Partial<JobView> = {}) =>
    aRegenerationJob({ course_id: 'course-1', ...overrides });

  beforeEach(() => {
    vi.useFakeTimers();
    visible = new BehaviorSubject(true);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        CourseJobFollower,
        { provide: PAGE_VISIBLE, useValue: visible },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    follower = TestBed.inject(CourseJobFollower);
    ended = [];
    follower.finished$.subscribe((job) => ended.push(job));
  });

  afterEach(() => {
    try {
      http.verify();
    } finally {
      TestBed.resetTestingModule();
      vi.useRealTimers();
    }
  });

  describe('when the course has no active job', () => {
    it('looks once, then stops polling', () => {
      follower.open('course-1');
      activeList().flush(aJobList([]));
      expect(follower.job()).toBeNull();
      expect(follower.polling()).toBe(false);
      tick(QUEUE_POLL_MS * 3);
      noRequests();
    });
  });

  describe('when a regeneration is running', () => {
    it('shows it, and polls every 3 s while it runs', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running({ items_completed: 0 })]));
      expect(follower.job()?.target?.item_id).toBe('lesson-1');
      expect(follower.polling()).toBe(true);

      tick(QUEUE_POLL_MS - 1);
      noRequests();
      tick(1);
      activeList().flush(aJobList([running({ items_completed: 1 })]));
      expect(follower.job()?.items_completed).toBe(1);
    });

    it('ignores jobs of other courses in the answer', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running({ id: 'other', course_id: 'course-2' })]));
      expect(follower.job()).toBeNull();
    });

    it('reports the job once when it completes, with its final state, and stops polling', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running()]));
      tick();
      activeList().flush(aJobList([]));
      detail('job-regen').flush(
        aJobDetail(aCompletedJob({ id: 'job-regen', job_type: 'course_regeneration' })),
      );

      expect(follower.job()).toBeNull();
      expect(follower.finished()?.status).toBe('completed');
      expect(ended.map((job) => job.id)).toEqual(['job-regen']);
      expect(follower.polling()).toBe(false);
      tick(QUEUE_POLL_MS * 3);
      noRequests();
    });

    it('reports a failed job, keeping the message until dismissed', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running()]));
      tick();
      activeList().flush(aJobList([]));
      detail('job-regen').flush(aJobDetail(running({ status: 'failed', error_message: 'model down' })));
      expect(follower.finished()?.error_message).toBe('model down');
      follower.dismiss();
      expect(follower.finished()).toBeNull();
    });

    it('pauses while the tab is hidden and looks again at once when it is shown', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running()]));
      visible.next(false);
      expect(follower.polling()).toBe(false);
      tick(QUEUE_POLL_MS * 3);
      noRequests();
      visible.next(true);
      activeList().flush(aJobList([running()]));
      expect(follower.polling()).toBe(true);
    });

    it('reports a failed poll and tries again on the next tick', () => {
      follower.open('course-1');
      activeList().flush(aJobList([running()]));
      tick();
      activeList().flush(
        { statusCode: 500, message: 'Internal error', error: 'Internal Server Error' },
        { status: 500, statusText: 'Internal Server Error' },
      );
      expect(follower.refreshError()).toBe('Internal error');
      expect(follower.job()?.id).toBe('job-regen');
      tick();
      activeList().flush(aJobList([running()]));
      expect(follower.refreshError()).toBeNull();
    });
  });

  describe('after a job is queued from the page', () => {
    it('follows it by id, so one that ends before the first poll is still reported', () => {
      follower.open('course-1');
      activeList().flush(aJobList([]));

      follower.follow('job-fast');
      expect(follower.polling()).toBe(true);
      activeList().flush(aJobList([]));
      detail('job-fast').flush(aJobDetail(aCompletedJob({ id: 'job-fast' })));
      expect(ended.map((job) => job.id)).toEqual(['job-fast']);
      expect(follower.polling()).toBe(false);
    });

    it('keeps following a job its detail still shows active though the list did not have it yet', () => {
      follower.open('course-1');
      activeList().flush(aJobList([]));
      follower.follow('job-regen');
      activeList().flush(aJobList([]));
      detail('job-regen').flush(aJobDetail(running({ status: 'pending' })));
      expect(follower.job()?.id).toBe('job-regen');
      expect(ended).toEqual([]);
      tick();
      activeList().flush(aJobList([running()]));
      expect(follower.job()?.status).toBe('generating_tasks');
    });

    it('stops following a job that is gone (404) without reporting it', () => {
      follower.open('course-1');
      activeList().flush(aJobList([]));
      follower.follow('job-gone');
      activeList().flush(aJobList([]));
      detail('job-gone').flush(
        { statusCode: 404, message: 'Not Found', error: 'Not Found' },
        { status: 404, statusText: 'Not Found' },
      );
      expect(ended).toEqual([]);
      expect(follower.polling()).toBe(false);
    });
  });
});
