import type { JobListFilterQuery } from '@contracts/api';
import type { Params } from '@angular/router';

import { QueueFilter, filterStatus } from './job-display';
import type { JobListQuery } from './jobs-api';

/** Page sizes the dashboard offers (the API takes 1–100). */
export const QUEUE_PAGE_SIZES = [25, 50, 100] as const;
export const QUEUE_PAGE_SIZE = 50;

export type QueueUser = 'mine' | 'anyone';
export type QueueJobType = '' | 'course_generation' | 'course_regeneration';

/** One view of the dashboard: everything in its URL query, so it can be shared and survives a reload. */
export interface QueueQuery {
  readonly status: QueueFilter;
  readonly search: string;
  readonly jobType: QueueJobType;
  readonly user: QueueUser;
  /** `YYYY-MM-DD` or '' */
  readonly from: string;
  readonly to: string;
  readonly page: number;
  readonly pageSize: number;
}

export const DEFAULT_QUEUE_QUERY: QueueQuery = {
  status: 'all',
  search: '',
  jobType: '',
  user: 'mine',
  from: '',
  to: '',
  page: 1,
  pageSize: QUEUE_PAGE_SIZE,
};

const STATUSES: readonly QueueFilter[] = ['all', 'running', 'completed', 'failed'];
const JOB_TYPES: readonly QueueJobType[] = ['', 'course_generation', 'course_regeneration'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The view a URL asks for; anything malformed (a hand-edited link) falls back to the default. */
export function parseQueueQuery(params: Params): QueueQuery {
  const page = Number(params['page']);
  const size = Number(params['page_size']);
  const search = typeof params['search'] === 'string' ? params['search'].trim().slice(0, 200) : '';
  return {
    status: pick(params['status'], STATUSES, 'all'),
    search,
    jobType: pick(params['job_type'], JOB_TYPES, ''),
    user: pick(params['user'], ['mine', 'anyone'] as const, 'mine'),
    from: DATE.test(params['from'] ?? '') ? params['from'] : '',
    to: DATE.test(params['to'] ?? '') ? params['to'] : '',
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
    pageSize: (QUEUE_PAGE_SIZES as readonly number[]).includes(size) ? size : QUEUE_PAGE_SIZE,
  };
}

/** The URL query of a view: only what differs from the default, so plain links stay plain. */
export function queueQueryParams(query: QueueQuery): Params {
  const d = DEFAULT_QUEUE_QUERY;
  return {
    status: query.status !== d.status ? query.status : null,
    search: query.search || null,
    job_type: query.jobType || null,
    user: query.user !== d.user ? query.user : null,
    from: query.from || null,
    to: query.to || null,
    page: query.page !== d.page ? query.page : null,
    page_size: query.pageSize !== d.pageSize ? query.pageSize : null,
  };
}

/** The filters without status and paging, as the API takes them (also "Retry all failed"'s filter). */
export function apiFilter(query: QueueQuery): JobListFilterQuery {
  const filter: JobListFilterQuery = {};
  if (query.user === 'anyone') filter.scope = 'organization';
  if (query.search) filter.search = query.search;
  if (query.jobType) filter.job_type = query.jobType;
  if (query.from) filter.from = query.from;
  if (query.to) filter.to = query.to;
  return filter;
}

export function apiListQuery(query: QueueQuery): JobListQuery {
  return {
    ...apiFilter(query),
    status: filterStatus(query.status),
    page: query.page,
    page_size: query.pageSize,
  };
}

/** Whether the view shows every job of the user's scope: newly queued jobs then belong on its first page. */
export function showsNewJobs(query: QueueQuery): boolean {
  return (
    (query.status === 'all' || query.status === 'running') &&
    query.page === 1 &&
    !query.search &&
    !query.jobType &&
    !query.to
  );
}

export function sameQuery(a: QueueQuery, b: QueueQuery): boolean {
  return (Object.keys(a) as (keyof QueueQuery)[]).every((key) => a[key] === b[key]);
}
