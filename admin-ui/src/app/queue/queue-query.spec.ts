import {
  DEFAULT_QUEUE_QUERY,
  apiListQuery,
  parseQueueQuery,
  queueQueryParams,
  showsNewJobs,
} from './queue-query';
import { bulkRetryConfirmation, outcomeCounts, outcomeProblems, retryAllConfirmation } from './bulk-actions';

describe('the dashboard view in the URL', () => {
  it('reads every filter, the page and its size', () => {
    expect(
      parseQueueQuery({
        status: 'failed',
        search: '  board ',
        job_type: 'course_regeneration',
        user: 'anyone',
        from: '2026-03-01',
        to: '2026-03-31',
        page: '3',
        page_size: '100',
      }),
    ).toEqual({
      status: 'failed',
      search: 'board',
      jobType: 'course_regeneration',
      user: 'anyone',
      from: '2026-03-01',
      to: '2026-03-31',
      page: 3,
      pageSize: 100,
    });
  });

  it('falls back to the default for anything malformed in a hand-edited link', () => {
    expect(
      parseQueueQuery({
        status: 'bogus',
        user: 'x',
        from: 'March',
        page: '-1',
        page_size: '30',
        job_type: 'x',
      }),
    ).toEqual(DEFAULT_QUEUE_QUERY);
  });

  it('writes only what differs from the default, so plain links stay plain', () => {
    expect(queueQueryParams(DEFAULT_QUEUE_QUERY)).toEqual(
      expect.objectContaining({ status: null, search: null, page: null, page_size: null, user: null }),
    );
    expect(queueQueryParams({ ...DEFAULT_QUEUE_QUERY, page: 2, user: 'anyone' })).toMatchObject({
      page: 2,
      user: 'anyone',
    });
  });

  it('asks the API with its parameter names (user anyone = scope organization)', () => {
    expect(apiListQuery({ ...DEFAULT_QUEUE_QUERY, status: 'running', user: 'anyone', search: 'x' })).toEqual({
      status: 'active',
      scope: 'organization',
      search: 'x',
      page: 1,
      page_size: 50,
    });
  });

  it('puts newly queued jobs on top only of an unfiltered first page', () => {
    expect(showsNewJobs(DEFAULT_QUEUE_QUERY)).toBe(true);
    expect(showsNewJobs({ ...DEFAULT_QUEUE_QUERY, page: 2 })).toBe(false);
    expect(showsNewJobs({ ...DEFAULT_QUEUE_QUERY, search: 'x' })).toBe(false);
    expect(showsNewJobs({ ...DEFAULT_QUEUE_QUERY, status: 'failed' })).toBe(false);
  });
});

describe('bulk action texts', () => {
  it('says what will happen', () => {
    expect(bulkRetryConfirmation(12).confirmLabel).toBe('Retry 12 failed jobs');
    expect(retryAllConfirmation(null).message).toContain('at most 1,000');
  });

  it('counts outcomes and lists the jobs not acted on', () => {
    const results = [
      { job_id: 'a', outcome: 'retried' as const },
      { job_id: 'b', outcome: 'skipped' as const, message: 'The job is completed' },
      { job_id: 'c', outcome: 'not_found' as const },
    ];
    expect(outcomeCounts(results)).toBe('1 retried, 1 skipped, 1 not found');
    expect(outcomeProblems(results).map((r) => r.job_id)).toEqual(['b', 'c']);
  });
});
