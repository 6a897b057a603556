import { provideHttpClient } from '@angular/common/http';
import type { HttpRequest } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { JobView, StepView } from '@contracts/api';
import { BehaviorSubject } from 'rxjs';

import { PAGE_VISIBLE } from '../../shared/page-visibility';
import { aCompletedJob, aJob, aJobDetail, aLogEntry, aStep, aTasksStep } from '../../testing/builders';
import { QUEUE_POLL_MS } from '../queue-store';
import { JobPageStore, MAX_LOG_PAGES_PER_REFRESH } from './job-page-store';

const JOB = '/api/admin/curriculum/generate/jobs/job-1';

describe('JobPageStore', () => {
  let http: HttpTestingController;
  let visible: BehaviorSubject<boolean>;

  const detail = (after: string | null): TestRequest =>
    http.expectOne(
      (req: HttpRequest<unknown>) => req.url === JOB && req.params.get('logs_after') === after,
      `GET job (logs_after=${after})`,
    );
  const steps = (run: string | null = null): TestRequest =>
    http.expectOne(
      (req: HttpRequest<unknown>) => req.url === `${JOB}/steps` && req.params.get('run') === run,
      `GET steps (run=${run})`,
    );
  const line = (message: string) => aLogEntry({ message });
  const page = (job: JobView, messages: string[], cursor: string | null, more = false) =>
    aJobDetail(
      job,
      messages.map((m) => line(m)),
      { logs_cursor: cursor, logs_more: more },
    );
  const tick = (ms = QUEUE_POLL_MS): void => {
    vi.advanceTimersByTime(ms);
  };
  const noRequests = (): void => {
    http.expectNone(() => true);
  };
  const open = (): JobPageStore => {
    const store = TestBed.inject(JobPageStore);
    store.open('job-1');
    return store;
  };
  const running = (overrides: Partial<JobView> = {}) => aJob({ status: 'generating_tasks', ...overrides });
  const stepList = (...list: StepView[]) => ({ steps: list });

  beforeEach(() => {
    vi.useFakeTimers();
    visible = new BehaviorSubject(true);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        JobPageStore,
        { provide: PAGE_VISIBLE, useValue: visible },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    try {
      http.verify();
    } finally {
      // Even when verify fails, so one failure does not spill into the next test.
      TestBed.resetTestingModule();
      vi.useRealTimers();
    }
  });

  describe('when the job is running', () => {
    it('loads the job, the first log page and the steps, then polls every 3 s', () => {
      const store = open();
      expect(store.loadState()).toBe('loading');
      detail(null).flush(page(running(), ['a', 'b'], 'c2'));
      steps().flush(stepList(aStep({ status: 'running' })));
      expect(store.loadState()).toBe('ready');
      expect(store.job()?.status).toBe('generating_tasks');
      expect(store.logs().map((l) => l.message)).toEqual(['a', 'b']);
      expect(store.steps().map((s) => s.status)).toEqual(['running']);
      expect(store.polling()).toBe(true);

      tick(QUEUE_POLL_MS - 1);
      noRequests();
      tick(1);
      detail('c2').flush(page(running(), ['c'], 'c3'));
      steps().flush(stepList(aStep({ status: 'succeeded' })));
      expect(store.steps().map((s) => s.status)).toEqual(['succeeded']);
    });

    it('follows the log tail by cursor: appends, and asks again at once while more follow', () => {
      const store = open();
      detail(null).flush(page(running(), ['a'], 'c1', true));
      detail('c1').flush(page(running(), ['b'], 'c2', true));
      detail('c2').flush(page(running(), ['c'], 'c3'));
      steps().flush(stepList());
      expect(store.logs().map((l) => l.message)).toEqual(['a', 'b', 'c']);

      tick();
      // An empty page keeps the cursor.
      detail('c3').flush(page(running(), [], null));
      steps().flush(stepList());
      tick();
      detail('c3').flush(page(running(), ['d'], 'c4'));
      steps().flush(stepList());
      expect(store.logs().map((l) => l.message)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('stops asking for more pages after MAX_LOG_PAGES_PER_REFRESH in one refresh', () => {
      open();
      for (let i = 0; i < MAX_LOG_PAGES_PER_REFRESH; i++) {
        detail(i === 0 ? null : `c${i}`).flush(page(running(), [`l${i}`], `c${i + 1}`, true));
      }
      steps().flush(stepList());
      noRequests();
      tick();
      detail(`c${MAX_LOG_PAGES_PER_REFRESH}`).flush(page(running(), [], null));
      steps().flush(stepList());
    });

    it('stops polling once the job is terminal, with the steps read after it', () => {
      const store = open();
      detail(null).flush(page(running(), ['a'], 'c1'));
      steps().flush(stepList(aTasksStep({ status: 'running' })));
      tick();
      detail('c1').flush(page(aCompletedJob(), ['done'], 'c2'));
      steps().flush(stepList(aTasksStep({ status: 'succeeded' })));
      expect(store.job()?.status).toBe('completed');
      expect(store.steps()[0].status).toBe('succeeded');
      expect(store.polling()).toBe(false);

      tick(QUEUE_POLL_MS * 5);
      noRequests();
    });

    it('pauses while the tab is hidden and resumes when it shows again', () => {
      const store = open();
      detail(null).flush(page(running(), [], null));
      steps().flush(stepList());
      visible.next(false);
      expect(store.polling()).toBe(false);
      tick(QUEUE_POLL_MS * 4);
      noRequests();

      visible.next(true);
      expect(store.polling()).toBe(true);
      tick();
      detail(null).flush(page(running(), ['x'], 'c1'));
      steps().flush(stepList());
      expect(store.logs().map((l) => l.message)).toEqual(['x']);
    });

    it('reports a failed refresh and keeps what it showed, then tries again', () => {
      const store = open();
      detail(null).flush(page(running(), ['a'], 'c1'));
      steps().flush(stepList(aStep()));
      tick();
      detail('c1').flush(
        { statusCode: 503, message: 'Service Unavailable', error: 'Service Unavailable' },
        { status: 503, statusText: 'Service Unavailable' },
      );
      expect(store.refreshError()).toContain('Service Unavailable');
      expect(store.logs()).toHaveLength(1);
      expect(store.steps()).toHaveLength(1);
      tick();
      detail('c1').flush(page(running(), [], 'c1'));
      steps().flush(stepList(aStep()));
      expect(store.refreshError()).toBeNull();
    });
  });

  describe('when the job is terminal', () => {
    it('does not poll; a long log is read page after page', () => {
      const store = open();
      detail(null).flush(page(aJob({ status: 'failed' }), ['a'], 'c1', true));
      // A terminal job's long log: pages are asked back to back too.
      detail('c1').flush(page(aJob({ status: 'failed' }), ['b'], 'c2'));
      steps().flush(stepList(aStep({ status: 'failed' })));
      expect(store.polling()).toBe(false);
      tick(QUEUE_POLL_MS * 5);
      noRequests();
      expect(store.logsMore()).toBe(false);
    });

    it('retries: POST retry, then refreshes at once and polls the new run', () => {
      const store = open();
      detail(null).flush(page(aJob({ status: 'failed' }), ['failed'], 'c1'));
      steps().flush(stepList(aStep({ status: 'failed' })));

      let done = false;
      store.retry().subscribe(() => (done = true));
      http.expectOne({ method: 'POST', url: `${JOB}/retry` }).flush({ success: true });
      expect(done).toBe(true);
      detail('c1').flush(page(aJob({ status: 'pending', retry_count: 1 }), ['retrying'], 'c2'));
      steps().flush(stepList(aStep({ run: 1, status: 'queued' })));
      expect(store.job()?.retry_count).toBe(1);
      expect(store.logs().map((l) => l.message)).toEqual(['failed', 'retrying']);
      expect(store.polling()).toBe(true);

      tick();
      detail('c2').flush(page(aCompletedJob({ retry_count: 1 }), [], 'c2'));
      steps().flush(stepList(aStep({ run: 1 })));
      expect(store.polling()).toBe(false);
    });

    it('shows the steps of an earlier run when chosen', () => {
      const store = open();
      detail(null).flush(page(aCompletedJob({ retry_count: 1 }), [], null));
      steps().flush(stepList(aStep({ run: 1 })));
      store.selectRun(0);
      detail(null).flush(page(aCompletedJob({ retry_count: 1 }), [], null));
      steps('0').flush(stepList(aStep({ run: 0, status: 'failed' })));
      expect(store.run()).toBe(0);
      expect(store.steps()[0].run).toBe(0);
    });
  });

  describe('when the job cannot be loaded', () => {
    it('shows the error and loads again on reload', () => {
      const store = open();
      detail(null).flush(
        { statusCode: 404, message: 'Job not found', error: 'Not Found' },
        { status: 404, statusText: 'Not Found' },
      );
      expect(store.loadState()).toBe('error');
      expect(store.loadError()).toContain('not found');
      store.reload();
      detail(null).flush(page(aCompletedJob(), [], null));
      steps().flush(stepList());
      expect(store.loadState()).toBe('ready');
    });
  });
});
