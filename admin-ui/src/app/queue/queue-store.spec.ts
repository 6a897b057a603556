import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { HttpRequest } from '@angular/common/http';
import { BehaviorSubject } from 'rxjs';

import { ActiveJobsCount } from '../layout/active-jobs-count';
import { PAGE_VISIBLE } from '../shared/page-visibility';
import { aCompletedJob, aJob, aJobDetail, aJobList, aLogEntry } from '../testing/builders';
import { QUEUE_POLL_MS, QueueStore } from './queue-store';

const JOBS = '/api/admin/curriculum/generate/jobs';

describe('QueueStore polling', () => {
  let http: HttpTestingController;
  let visible: BehaviorSubject<boolean>;

  const isList =
    (status: string | null) =>
    (req: HttpRequest<unknown>): boolean =>
      req.url === JOBS && req.params.get('status') === status;
  const fullList = (): TestRequest => http.expectOne(isList(null), 'GET jobs (full list)');
  const activeList = (): TestRequest => http.expectOne(isList('active'), 'GET jobs?status=active');
  const detail = (id: string): TestRequest => http.expectOne(`${JOBS}/${id}`);
  const tail = (id: string, after: string): TestRequest =>
    http.expectOne(
      (req: HttpRequest<unknown>) => req.url === `${JOBS}/${id}` && req.params.get('logs_after') === after,
      `GET jobs/${id}?logs_after=${after}`,
    );
  const tick = (ms = QUEUE_POLL_MS): void => {
    vi.advanceTimersByTime(ms);
  };

  const start = (): QueueStore => TestBed.inject(QueueStore);

  const badge = { report: vi.fn() };

  beforeEach(() => {
    badge.report.mockClear();
    vi.useFakeTimers();
    visible = new BehaviorSubject(true);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        QueueStore,
        { provide: PAGE_VISIBLE, useValue: visible },
        { provide: ActiveJobsCount, useValue: badge },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
    vi.useRealTimers();
  });

  it('loads the full list on start and does not poll when every job is terminal', () => {
    const store = start();
    expect(store.loadState()).toBe('loading');
    fullList().flush(aJobList([aCompletedJob(), aJob({ id: 'job-2', status: 'failed' })]));

    expect(store.loadState()).toBe('ready');
    expect(store.jobs().map((job) => job.id)).toEqual(['job-1', 'job-2']);
    expect(store.lastUpdated()).toBeInstanceOf(Date);
    expect(store.polling()).toBe(false);

    tick(QUEUE_POLL_MS * 5);
    http.expectNone(isList('active'));
  });

  it('starts polling ?status=active every 3 s while a job is active, and merges the progress', () => {
    const store = start();
    fullList().flush(aJobList([aJob({ items_completed: 1 }), aCompletedJob({ id: 'job-2' })]));
    expect(store.polling()).toBe(true);

    tick(QUEUE_POLL_MS - 1);
    http.expectNone(isList('active'));
    tick(1);
    activeList().flush(aJobList([aJob({ items_completed: 2 })]));
    expect(store.jobs()[0].items_completed).toBe(2);
    expect(store.jobs()[1].status).toBe('completed');

    tick();
    activeList().flush(aJobList([aJob({ status: 'generating_tasks', items_completed: 4, items_total: 12 })]));
    expect(store.jobs()[0].status).toBe('generating_tasks');
  });

  it('reports each poll’s active total to the nav badge, so it is never staler than the dashboard', () => {
    start();
    fullList().flush(aJobList([aJob()]));
    tick();
    activeList().flush(aJobList([]));
    expect(badge.report).toHaveBeenCalledWith(0);
    detail('job-1').flush(aJobDetail({ ...aJob(), status: 'completed' }));
  });

  it('fetches a job that left the active set once, then stops when all are terminal', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));

    tick();
    activeList().flush(aJobList([]));
    detail('job-1').flush(aJobDetail(aCompletedJob()));

    expect(store.jobs()[0].status).toBe('completed');
    expect(store.polling()).toBe(false);
    tick(QUEUE_POLL_MS * 4);
    http.expectNone(isList('active'));
  });

  it('pauses while the tab is hidden and resumes when it is shown again', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));

    visible.next(false);
    expect(store.polling()).toBe(false);
    tick(QUEUE_POLL_MS * 4);
    http.expectNone(isList('active'));

    visible.next(true);
    expect(store.polling()).toBe(true);
    tick();
    activeList().flush(aJobList([aJob()]));
  });

  it('never overlaps requests: a tick drops the unanswered one before asking again', () => {
    start();
    fullList().flush(aJobList([aJob()]));

    tick();
    const slow = activeList();
    tick();
    expect(slow.cancelled).toBe(true);
    // expectOne fails if two requests are open.
    const next = activeList();
    expect(next.cancelled).toBe(false);
    next.flush(aJobList([aJob()]));
  });

  it('hiding the tab drops the request in flight', () => {
    start();
    fullList().flush(aJobList([aJob()]));
    tick();
    const inFlight = activeList();
    visible.next(false);
    expect(inFlight.cancelled).toBe(true);
  });

  it('survives a failed refresh: keeps the list, says so, and tries again on the next tick', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));
    const updated = store.lastUpdated();

    tick();
    activeList().flush(
      { statusCode: 500, message: 'Database unavailable', error: 'Internal Server Error' },
      {
        status: 500,
        statusText: 'Internal Server Error',
      },
    );
    expect(store.refreshError()).toBe('Database unavailable');
    expect(store.jobs()).toHaveLength(1);
    expect(store.lastUpdated()).toBe(updated);
    expect(store.polling()).toBe(true);

    tick();
    activeList().flush(aJobList([aJob({ items_completed: 4 })]));
    expect(store.refreshError()).toBeNull();
    expect(store.jobs()[0].items_completed).toBe(4);
  });

  it('adds jobs queued since the list loaded on top', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));
    tick();
    activeList().flush(aJobList([aJob({ id: 'job-new', status: 'pending' }), aJob()]));
    expect(store.jobs().map((job) => job.id)).toEqual(['job-new', 'job-1']);
    expect(store.total()).toBe(2);
  });

  it('reloads with the filter’s status and stops the previous poller', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));

    store.setFilter('failed');
    const failed = http.expectOne(isList('failed'));
    expect(store.loadState()).toBe('loading');
    failed.flush(aJobList([aJob({ id: 'job-9', status: 'failed' })]));
    expect(store.jobs().map((job) => job.id)).toEqual(['job-9']);

    tick(QUEUE_POLL_MS * 3);
    http.expectNone(isList('active'));
  });

  it('"Running" asks for ?status=active and keeps polling it', () => {
    const store = start();
    fullList().flush(aJobList([]));
    store.setFilter('running');
    activeList().flush(aJobList([aJob()]));
    tick();
    activeList().flush(aJobList([aJob()]));
  });

  it('shows a load error and reloads on demand', () => {
    const store = start();
    fullList().error(new ProgressEvent('error'));
    expect(store.loadState()).toBe('error');
    expect(store.loadError()).toContain('unreachable');

    store.reload();
    fullList().flush(aJobList([]));
    expect(store.loadState()).toBe('ready');
  });

  it('fetches the logs when a row opens, then follows their tail on each tick while its job is active', () => {
    const store = start();
    fullList().flush(aJobList([aJob()]));

    store.toggleLogs('job-1');
    expect(store.logs()['job-1'].loading).toBe(true);
    detail('job-1').flush(aJobDetail(aJob(), [aLogEntry()]));
    expect(store.logs()['job-1'].entries).toHaveLength(1);

    // The tail after the viewer's cursor, appended; asked again at once while more follow.
    tick();
    activeList().flush(aJobList([aJob()]));
    tail('job-1', 'c-1').flush(
      aJobDetail(aJob(), [aLogEntry({ level: 'success', message: 'Generated 4 lessons' })], {
        logs_cursor: 'c-2',
        logs_more: true,
      }),
    );
    tail('job-1', 'c-2').flush(aJobDetail(aJob(), [aLogEntry({ level: 'warning' })], { logs_cursor: 'c-3' }));
    expect(store.logs()['job-1'].entries.map((entry) => entry.level)).toEqual(['info', 'success', 'warning']);

    store.toggleLogs('job-1');
    tick();
    activeList().flush(aJobList([aJob()]));
    http.expectNone(`${JOBS}/job-1`);
  });

  it('after a retry, refreshes the job and polls again', () => {
    const store = start();
    fullList().flush(aJobList([aJob({ status: 'failed' })]));
    expect(store.polling()).toBe(false);

    let done = false;
    store.retry('job-1').subscribe({ complete: () => (done = true) });
    http.expectOne({ method: 'POST', url: `${JOBS}/job-1/retry` }).flush({ success: true });
    detail('job-1').flush(aJobDetail(aJob({ status: 'pending' })));
    expect(done).toBe(true);
    expect(store.polling()).toBe(true);

    tick();
    activeList().flush(aJobList([aJob({ status: 'pending' })]));
  });

  it('stops everything when the page goes away', () => {
    start();
    fullList().flush(aJobList([aJob()]));
    TestBed.resetTestingModule();
    vi.advanceTimersByTime(QUEUE_POLL_MS * 3);
    // No request was made after the destroy (verify runs in afterEach on a fresh controller).
    expect(vi.getTimerCount()).toBe(0);
  });

  describe('at scale', () => {
    it('loads a view with its filters and page, and clears the selection when the view changes', () => {
      const store = start();
      fullList().flush(aJobList([aCompletedJob(), aJob({ id: 'job-2', status: 'failed' })]));
      store.selectAllOnPage(true);
      expect([...store.selected()]).toEqual(['job-1', 'job-2']);
      expect(store.allOnPageSelected()).toBe(true);

      store.setQuery({ ...store.query(), search: 'board', user: 'anyone', page: 2, pageSize: 25 });
      const req = http.expectOne((r) => r.url === JOBS && r.params.get('search') === 'board');
      expect(['scope', 'page', 'page_size'].map((k) => req.request.params.get(k))).toEqual([
        'organization',
        '2',
        '25',
      ]);
      req.flush(aJobList([]));
      expect(store.selected().size).toBe(0);
    });

    it('polls the active jobs in the view’s user scope and leaves the nav badge to the user’s own', () => {
      const store = start();
      fullList().flush(aJobList([aJob()]));
      store.setQuery({ ...store.query(), user: 'anyone' });
      http
        .expectOne((r) => r.url === JOBS && r.params.get('scope') === 'organization')
        .flush(aJobList([aJob()]));
      tick();
      http
        .expectOne((r) => r.params.get('status') === 'active' && r.params.get('scope') === 'organization')
        .flush(aJobList([aJob()], 7));
      expect(badge.report).not.toHaveBeenCalled();
    });

    it('keeps a bulk action’s outcomes and refreshes the page without the loading state', () => {
      const store = start();
      fullList().flush(aJobList([aJob({ id: 'job-2', status: 'failed' })]));
      store.toggleSelected('job-2');
      store.bulk('retry', ['job-2']).subscribe();
      http
        .expectOne({ method: 'POST', url: `${JOBS}/bulk` })
        .flush({ results: [{ job_id: 'job-2', outcome: 'retried' }] });
      expect(store.loadState()).toBe('ready');
      fullList().flush(aJobList([aJob({ id: 'job-2', status: 'pending' })]));
      expect(store.bulkSummary()?.response.results).toEqual([{ job_id: 'job-2', outcome: 'retried' }]);
      expect(store.selected().size).toBe(0);
      expect(store.jobs()[0].status).toBe('pending');
      store.dismissBulkSummary();
      expect(store.bulkSummary()).toBeNull();
    });
  });
});
