import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE_NAME } from '../../server/src/accounts/auth/session-cookie';
import { DEVELOPMENT_AUTH_SECRET } from '../../server/src/config/published-defaults';
import { createUser, login, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { countEveryTable } from '../support/fault-checks';
import { GENERATE } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const CURRICULUM = '/api/admin/curriculum';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const UNAUTHENTICATED = 'Authentication required';
const INVALID_SESSION = 'Your session has expired or is invalid; sign in again';

type Who = 'nobody' | 'admin' | 'owner' | 'expired' | 'forged' | 'garbage' | 'signed-out';

interface Fixtures {
  outline: string; // draft, projects without lessons
  published: string;
  empty: string; // no projects
  busy: string; // has a running job
  busyProject: string; // a project of `busy`
  runningJob: string;
  completedJob: string;
  failedJob: string;
  other: { course: string; project: string; lesson: string; task: string; job: string }; // another organization
  ids: { project: string; lesson: string; task: string }; // of `published` (own organization)
}

interface BadRequest {
  name: string;
  as: Who;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (f: Fixtures) => string;
  /** The JSON body, or a function of the fixtures for one that names their ids. */
  body?: unknown;
  /** Sent as is, with this content type. */
  raw?: { type: string; data: string };
  file?: { name: string; data: Buffer };
  /** Signed in by the session cookie (as a browser is) instead of a Bearer token. */
  cookie?: boolean;
  headers?: Record<string, string>;
  status: number;
  message: string | string[];
  /** More fields of the error body (e.g. the active job's id). */
  extra?: (f: Fixtures) => Record<string, unknown>;
}

const ERROR: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

const CROSS_SITE =
  'Cross-site request refused: a request signed in by the session cookie must come from this site ' +
  '(same-origin Origin or Sec-Fetch-Site header), or use Authorization: Bearer';
const EVIL = { Origin: 'https://evil.example' };

const course =
  (id: (f: Fixtures) => string, tail = '') =>
  (f: Fixtures) =>
    `${CURRICULUM}/courses/${id(f)}${tail}`;
const job =
  (id: (f: Fixtures) => string, tail = '') =>
  (f: Fixtures) =>
    `${GENERATE}/jobs/${id(f)}${tail}`;
const queue = (id: (f: Fixtures) => string) => (f: Fixtures) => `${GENERATE}/${id(f)}/queue`;
const regenerate = (id: (f: Fixtures) => string) => (f: Fixtures) => `${GENERATE}/${id(f)}/regenerate`;
const fixed = (path: string) => () => path;

const CASES: BadRequest[] = [
  // --- who is asking ---
  {
    name: 'no token',
    as: 'nobody',
    method: 'get',
    path: fixed(`${CURRICULUM}/courses`),
    status: 401,
    message: UNAUTHENTICATED,
  },
  {
    name: 'no token, queue',
    as: 'nobody',
    method: 'post',
    path: queue((f) => f.outline),
    body: { auto_publish: false },
    status: 401,
    message: UNAUTHENTICATED,
  },
  {
    name: 'no token, cancel',
    as: 'nobody',
    method: 'post',
    path: job((f) => f.runningJob, '/cancel'),
    status: 401,
    message: UNAUTHENTICATED,
  },
  {
    name: 'no token, regenerate',
    as: 'nobody',
    method: 'post',
    path: regenerate((f) => f.published),
    body: (f: Fixtures) => ({ target: 'lesson_tasks', id: f.ids.lesson }),
    status: 401,
    message: UNAUTHENTICATED,
  },
  {
    name: 'expired token',
    as: 'expired',
    method: 'get',
    path: fixed('/api/auth/me'),
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'expired token, queue',
    as: 'expired',
    method: 'post',
    path: queue((f) => f.outline),
    body: { auto_publish: false },
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'forged token (wrong signature)',
    as: 'forged',
    method: 'get',
    path: fixed(`${GENERATE}/jobs`),
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'forged token, cancel',
    as: 'forged',
    method: 'post',
    path: job((f) => f.runningJob, '/cancel'),
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'not a JWT',
    as: 'garbage',
    method: 'patch',
    path: course((f) => f.outline),
    body: { title: 'x' },
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'signed-out token',
    as: 'signed-out',
    method: 'delete',
    path: course((f) => f.outline),
    status: 401,
    message: INVALID_SESSION,
  },
  {
    name: 'wrong password',
    as: 'nobody',
    method: 'post',
    path: fixed('/api/auth/login'),
    body: { email: 'owner@bad.test', password: 'not-the-password' },
    status: 401,
    message: 'Invalid email or password',
  },
  {
    name: 'login without a password',
    as: 'nobody',
    method: 'post',
    path: fixed('/api/auth/login'),
    body: { email: 'owner@bad.test' },
    status: 400,
    message: [
      'password must be shorter than or equal to 1024 characters',
      'password must be longer than or equal to 1 characters',
      'password must be a string',
    ],
  },
  {
    name: 'admin lists users (owner only)',
    as: 'admin',
    method: 'get',
    path: fixed('/api/admin/users'),
    status: 403,
    message: 'This action needs the owner role',
  },
  {
    name: 'admin creates a user (owner only)',
    as: 'admin',
    method: 'post',
    path: fixed('/api/admin/users'),
    body: { email: 'new@bad.test', password: 'long-enough-password', role: 'admin' },
    status: 403,
    message: 'This action needs the owner role',
  },

  // --- another organization's ids: 404, as if they did not exist ---
  {
    name: 'other org: course',
    as: 'admin',
    method: 'get',
    path: course((f) => f.other.course),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: edit course',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.other.course),
    body: { title: 'Mine now' },
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: delete course',
    as: 'owner',
    method: 'delete',
    path: course((f) => f.other.course),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: publish',
    as: 'admin',
    method: 'post',
    path: course((f) => f.other.course, '/publish'),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: unpublish',
    as: 'admin',
    method: 'post',
    path: course((f) => f.other.course, '/unpublish'),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: project',
    as: 'admin',
    method: 'patch',
    path: (f) => `${CURRICULUM}/projects/${f.other.project}`,
    body: { title: 'x' },
    status: 404,
    message: 'Project not found',
  },
  {
    name: 'other org: lesson',
    as: 'admin',
    method: 'patch',
    path: (f) => `${CURRICULUM}/lessons/${f.other.lesson}`,
    body: { title: 'x' },
    status: 404,
    message: 'Lesson not found',
  },
  {
    name: 'other org: task',
    as: 'admin',
    method: 'patch',
    path: (f) => `${CURRICULUM}/tasks/${f.other.task}`,
    body: { title: 'x' },
    status: 404,
    message: 'Task not found',
  },
  {
    name: 'other org: queue its course',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.other.course),
    body: { auto_publish: true },
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: regenerate a part of its course',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.other.course),
    body: (f: Fixtures) => ({ target: 'project_lessons', id: f.other.project }),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: regenerate its lesson within an own course',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.published),
    body: (f: Fixtures) => ({ target: 'lesson_tasks', id: f.other.lesson }),
    status: 404,
    message: 'Lesson not found',
  },
  {
    name: 'other org: job',
    as: 'admin',
    method: 'get',
    path: job((f) => f.other.job),
    status: 404,
    message: 'Job not found',
  },
  {
    name: 'other org: cancel its job',
    as: 'admin',
    method: 'post',
    path: job((f) => f.other.job, '/cancel'),
    status: 404,
    message: 'Job not found',
  },
  {
    name: 'other org: retry its job',
    as: 'owner',
    method: 'post',
    path: job((f) => f.other.job, '/retry'),
    status: 404,
    message: 'Job not found',
  },

  // --- versions of course parts (docs/regeneration.md) ---
  {
    name: 'other org: list its course’s versions',
    as: 'admin',
    method: 'get',
    path: course((f) => f.other.course, '/versions'),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'other org: restore a version of its course',
    as: 'owner',
    method: 'post',
    path: course((f) => f.other.course, `/versions/${UNKNOWN}/restore`),
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'versions: item not a UUID',
    as: 'admin',
    method: 'get',
    path: course((f) => f.published, '/versions?item=1%20OR%201=1'),
    status: 400,
    message: ['item must be a UUID'],
  },
  {
    name: 'restore: version id not a UUID',
    as: 'admin',
    method: 'post',
    path: course((f) => f.published, '/versions/latest/restore'),
    status: 400,
    message: ['versionId must be a UUID'],
  },
  {
    name: 'restore an unknown version',
    as: 'admin',
    method: 'post',
    path: course((f) => f.published, `/versions/${UNKNOWN}/restore`),
    status: 404,
    message: 'Version not found',
  },

  // --- malformed and unknown ids ---
  {
    name: 'course id not a UUID',
    as: 'admin',
    method: 'get',
    path: fixed(`${CURRICULUM}/courses/not-a-uuid`),
    status: 400,
    message: ['id must be a UUID'],
  },
  {
    name: 'queue: course id not a UUID',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/123/queue`),
    body: { auto_publish: false },
    status: 400,
    message: ['courseId must be a UUID'],
  },
  {
    name: 'cancel: job id not a UUID',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/jobs/1%20OR%201=1/cancel`),
    status: 400,
    message: ['jobId must be a UUID'],
  },
  {
    name: 'unknown job',
    as: 'admin',
    method: 'get',
    path: fixed(`${GENERATE}/jobs/${UNKNOWN}`),
    status: 404,
    message: 'Job not found',
  },
  {
    name: 'retry an unknown job',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/jobs/${UNKNOWN}/retry`),
    status: 404,
    message: 'Job not found',
  },
  {
    name: 'queue an unknown course',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/${UNKNOWN}/queue`),
    body: { auto_publish: false },
    status: 404,
    message: 'Course not found',
  },
  {
    name: 'edit an unknown lesson',
    as: 'admin',
    method: 'patch',
    path: fixed(`${CURRICULUM}/lessons/${UNKNOWN}`),
    body: { title: 'x' },
    status: 404,
    message: 'Lesson not found',
  },

  // --- missing, extra, oversized fields ---
  {
    name: 'queue without auto_publish',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.outline),
    body: {},
    status: 400,
    message: ['auto_publish must be a boolean value'],
  },
  {
    name: 'queue with auto_publish "yes"',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.outline),
    body: { auto_publish: 'yes' },
    status: 400,
    message: ['auto_publish must be a boolean value'],
  },
  {
    name: 'queue with an extra field',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.outline),
    body: { auto_publish: true, priority: 1 },
    status: 400,
    message: ['property priority should not exist'],
  },
  {
    name: 'regenerate an unknown target',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.published),
    body: { target: 'course', id: UNKNOWN },
    status: 400,
    message: ['target must be one of the following values: project_lessons, lesson_tasks'],
  },
  {
    name: 'regenerate: item id not a UUID',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.published),
    body: { target: 'project_lessons', id: '1 OR 1=1' },
    status: 400,
    message: ['id must be a UUID'],
  },
  {
    name: 'regenerate with instructions over 1,000 characters',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.published),
    body: { target: 'project_lessons', id: UNKNOWN, instructions: 'x'.repeat(1001) },
    status: 400,
    message: ['instructions must be shorter than or equal to 1000 characters'],
  },
  {
    name: 'regenerate with a NUL character in the instructions',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.published),
    body: { target: 'project_lessons', id: UNKNOWN, instructions: 'more\u0000' },
    status: 400,
    message: 'instructions: must not contain NUL characters',
    extra: () => ({ path: 'instructions' }),
  },
  {
    name: 'course title too long',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.outline),
    body: { title: 'x'.repeat(201) },
    status: 400,
    message: ['title must be shorter than or equal to 200 characters'],
  },
  {
    name: 'course patch with nothing',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.outline),
    body: {},
    status: 400,
    message: 'Nothing to change',
  },
  {
    name: 'task of an unknown kind',
    as: 'admin',
    method: 'patch',
    path: (f) => `${CURRICULUM}/tasks/${f.ids.task}`,
    body: { kind: 'dance' },
    status: 400,
    message: ['kind must be one of the following values: exercise, quiz, reflection, project'],
  },
  {
    name: 'user with a bad email, short password, unknown role',
    as: 'owner',
    method: 'post',
    path: fixed('/api/admin/users'),
    body: { email: 'not-an-email', password: 'short', role: 'boss' },
    status: 400,
    message: [
      'email must be an email',
      'password must be longer than or equal to 8 characters',
      'role must be one of the following values: owner, admin',
    ],
  },
  {
    name: 'outlines without a topic',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/outlines`),
    body: {},
    status: 400,
    message: [
      'topic must be shorter than or equal to 200 characters',
      'topic must not be empty',
      'topic must be a string',
    ],
  },
  {
    name: 'approve an outline without a topic',
    as: 'admin',
    method: 'post',
    path: fixed(`${GENERATE}/outlines/approve`),
    body: {
      outline: {
        title: 'Chess',
        description: '',
        projects: [{ title: 'Openings', description: '', objectives: [] }],
      },
    },
    status: 400,
    message: [
      'topic must be shorter than or equal to 200 characters',
      'topic must not be empty',
      'topic must be a string',
    ],
  },
  {
    name: 'job list: unknown status',
    as: 'admin',
    method: 'get',
    path: fixed(`${GENERATE}/jobs?status=bogus`),
    status: 400,
    message: [
      'status must be one of the following values: active, running, pending, generating_lessons, generating_tasks, finalizing, completed, failed, cancelled, paused',
    ],
  },
  {
    name: 'job list: page_size 1000',
    as: 'admin',
    method: 'get',
    path: fixed(`${GENERATE}/jobs?page_size=1000`),
    status: 400,
    message: ['page_size must not be greater than 100'],
  },
  {
    name: 'malformed JSON body',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.outline),
    raw: { type: 'application/json', data: '{"auto_publish": tru' },
    status: 400,
    message: 'Unexpected end of JSON input',
  },

  // --- oversized bodies ---
  {
    name: 'JSON body over BODY_LIMIT',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.outline),
    body: { description: 'x'.repeat(70 * 1024) },
    status: 413,
    message: 'request entity too large',
  },
  {
    name: 'outline file over UPLOAD_MAX_BYTES',
    as: 'admin',
    method: 'post',
    path: fixed(`${CURRICULUM}/upload`),
    file: { name: 'outline.md', data: Buffer.from(`# Big\n\n${'x'.repeat(5000)}\n`) },
    status: 413,
    message: 'File too large',
  },

  // --- the trust boundary: cross-site requests, media types, NUL characters, operators, adversarial input ---
  {
    name: 'cross-site cookie POST, cancel (no body)',
    as: 'admin',
    cookie: true,
    headers: EVIL,
    method: 'post',
    path: job((f) => f.runningJob, '/cancel'),
    status: 403,
    message: CROSS_SITE,
  },
  {
    name: 'cross-site cookie PATCH, JSON body',
    as: 'admin',
    cookie: true,
    headers: EVIL,
    method: 'patch',
    path: course((f) => f.outline),
    body: { title: 'Hijacked' },
    status: 403,
    message: CROSS_SITE,
  },
  {
    name: 'cookie POST without Origin or Sec-Fetch-Site, queue',
    as: 'admin',
    cookie: true,
    method: 'post',
    path: queue((f) => f.outline),
    body: { auto_publish: false },
    status: 403,
    message: CROSS_SITE,
  },
  {
    name: 'cookie DELETE from a sibling site (Sec-Fetch-Site: same-site)',
    as: 'admin',
    cookie: true,
    headers: { 'Sec-Fetch-Site': 'same-site' },
    method: 'delete',
    path: course((f) => f.outline),
    status: 403,
    message: CROSS_SITE,
  },
  {
    name: 'cross-site browser login (login CSRF)',
    as: 'nobody',
    headers: EVIL,
    method: 'post',
    path: fixed('/api/auth/login'),
    body: { email: 'owner@bad.test', password: 'correct-horse-battery' },
    status: 403,
    message: CROSS_SITE,
  },
  {
    name: 'urlencoded form body',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.outline),
    raw: { type: 'application/x-www-form-urlencoded', data: 'auto_publish=true' },
    status: 415,
    message: 'Unsupported Content-Type "application/x-www-form-urlencoded": send application/json',
  },
  {
    name: 'multipart body outside the upload',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.outline),
    raw: {
      type: 'multipart/form-data; boundary=x',
      data: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nHijacked\r\n--x--\r\n',
    },
    status: 415,
    message: 'Unsupported Content-Type "multipart/form-data": send application/json',
  },
  {
    name: 'NUL character in a JSON string',
    as: 'admin',
    method: 'patch',
    path: course((f) => f.outline),
    body: { title: 'Chess\u0000 openings' },
    status: 400,
    message: 'title: must not contain NUL characters',
    extra: () => ({ path: 'title' }),
  },
  {
    name: 'NUL character in a query string',
    as: 'admin',
    method: 'get',
    path: fixed(`${CURRICULUM}/courses?search=a%00b`),
    status: 400,
    message: 'query.search: must not contain NUL characters',
    extra: () => ({ path: 'query.search' }),
  },
  {
    name: 'NUL byte in an uploaded outline',
    as: 'admin',
    method: 'post',
    path: fixed(`${CURRICULUM}/upload`),
    file: { name: 'outline.md', data: Buffer.from('# Course\n\n## Project \u0000 one\n') },
    status: 400,
    message: 'The file contains NUL bytes: upload UTF-8 text (Markdown or JSON)',
  },
  {
    name: 'backtracking-bait heading line in an uploaded outline',
    as: 'admin',
    method: 'post',
    path: fixed(`${CURRICULUM}/upload`),
    file: { name: 'outline.md', data: Buffer.from(`# Course\n## a${' '.repeat(2000)}x\n`) },
    status: 400,
    message: 'Line 2: the project title is longer than 200 characters',
    extra: () => ({ line: 2 }),
  },
  {
    name: 'queue inspector API, signed in but not an operator',
    as: 'owner',
    method: 'get',
    path: fixed('/admin/queues/api/queues'),
    status: 403,
    message: 'The queue inspector is for operators of the installation',
  },
  {
    name: 'queue inspector job add, not an operator',
    as: 'admin',
    method: 'post',
    path: fixed('/admin/queues/api/queues/course-generation-steps/add'),
    body: { name: 'step', data: { job_id: UNKNOWN, item_id: UNKNOWN, kind: 'lessons', retry: 0 } },
    status: 403,
    message: 'The queue inspector is for operators of the installation',
  },

  // --- the wrong state ---
  {
    name: 'cancel a completed job',
    as: 'admin',
    method: 'post',
    path: job((f) => f.completedJob, '/cancel'),
    status: 409,
    message: 'The job is completed; only pending, running or paused jobs can be cancelled',
  },
  {
    name: 'cancel a failed job',
    as: 'admin',
    method: 'post',
    path: job((f) => f.failedJob, '/cancel'),
    status: 409,
    message: 'The job is failed; only pending, running or paused jobs can be cancelled',
  },
  {
    name: 'retry a running job',
    as: 'admin',
    method: 'post',
    path: job((f) => f.runningJob, '/retry'),
    status: 409,
    message: 'The job is generating_lessons; only failed or cancelled jobs can be retried',
  },
  {
    name: 'retry a completed job',
    as: 'admin',
    method: 'post',
    path: job((f) => f.completedJob, '/retry'),
    status: 409,
    message: 'The job is completed; only failed or cancelled jobs can be retried',
  },
  {
    name: 'queue a course that has an active job',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.busy),
    body: { auto_publish: false },
    status: 409,
    message: 'This course already has an active generation job',
    extra: (f) => ({ job_id: f.runningJob }),
  },
  {
    name: 'regenerate a part of a course that has an active job',
    as: 'admin',
    method: 'post',
    path: regenerate((f) => f.busy),
    body: (f: Fixtures) => ({ target: 'project_lessons', id: f.busyProject }),
    status: 409,
    message: 'This course already has an active generation job',
    extra: (f) => ({ job_id: f.runningJob }),
  },
  {
    name: 'queue a published course',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.published),
    body: { auto_publish: false },
    status: 409,
    message: 'The course is published; unpublish it before generating again',
  },
  {
    name: 'queue a course without an outline',
    as: 'admin',
    method: 'post',
    path: queue((f) => f.empty),
    body: { auto_publish: false },
    status: 409,
    message: 'The course has no approved outline (no projects) to generate from',
  },
  {
    name: 'publish a course being generated',
    as: 'admin',
    method: 'post',
    path: course((f) => f.busy, '/publish'),
    status: 409,
    message: 'The course is being generated; it can be published when its job has finished',
    extra: () => ({ missing: { projects_without_lessons: [], lessons_without_tasks: [] } }),
  },
  {
    name: 'publish a course with no projects',
    as: 'admin',
    method: 'post',
    path: course((f) => f.empty, '/publish'),
    status: 409,
    message: 'Cannot publish: the course has no projects',
    extra: () => ({ missing: { projects_without_lessons: [], lessons_without_tasks: [] } }),
  },
  {
    name: 'unpublish a draft',
    as: 'admin',
    method: 'post',
    path: course((f) => f.outline, '/unpublish'),
    status: 409,
    message: 'Only a published course can be unpublished (this one is draft)',
  },
];

describe('bad requests: each gets its status and message, and no table changes (in-process API, PostgreSQL, Redis)', () => {
  let app: TestApp;
  let db: DataSource;
  let owner: TestUser;
  const tokens = {} as Record<Who, string | undefined>;
  const f = {} as Fixtures;

  const insertJob = async (courseId: string, user: TestUser, status: string): Promise<string> => {
    const terminal = ['completed', 'failed', 'cancelled'].includes(status);
    const [row] = await db.query(
      `INSERT INTO course_generation_jobs (course_id, user_id, organization_id, auto_publish, status, started_at,
         completed_at, failed_step, error_message, current_step)
       VALUES ($1, $2, $3, false, $4, now(), CASE WHEN $5 THEN now() END, $6, $7, $8) RETURNING id`,
      [
        courseId,
        user.id,
        user.organization_id,
        status,
        terminal,
        status === 'failed' ? 'lessons' : null,
        status === 'failed' ? 'Could not generate the lessons of "Project 1": boom' : null,
        terminal ? null : 'lessons',
      ],
    );
    return row.id;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { BODY_LIMIT: '64kb', UPLOAD_MAX_BYTES: '4096' } });
    db = app.app.get(DataSource);
    owner = await createUser(app, {
      role: 'owner',
      email: 'owner@bad.test',
      organizationName: 'Bad Requests',
    });
    const admin = await createUser(app, { role: 'admin', organizationName: 'Bad Requests' });
    const stranger = await createUser(app, { role: 'owner', organizationName: 'Elsewhere' });
    tokens.owner = (await login(app, owner.email, owner.password)).token;
    tokens.admin = (await login(app, admin.email, admin.password)).token;
    const leaving = (await login(app, admin.email, admin.password)).token;
    await request(app.baseUrl).post('/api/auth/logout').set('Authorization', `Bearer ${leaving}`).expect(204);
    tokens['signed-out'] = leaving;
    const now = Math.floor(Date.now() / 1000);
    tokens.expired = new JwtService({ secret: DEVELOPMENT_AUTH_SECRET }).sign({
      jti: randomUUID(),
      sub: admin.id,
      exp: now - 60,
    });
    tokens.forged = new JwtService({ secret: 'not-the-secret-of-this-server-0123456789' }).sign({
      jti: randomUUID(),
      sub: admin.id,
      exp: now + 3600,
    });
    tokens.garbage = 'not-a-jwt';

    const outline = { ...courseSpec({ projects: 2, lessons: 0, title: 'Outline only' }), topic: 'chess' };
    f.outline = await createCourse(app, owner, outline);
    f.published = await createCourse(app, owner, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'published',
    });
    f.empty = await createCourse(app, owner, { title: 'No outline', projects: [] });
    f.busy = await createCourse(app, owner, outline, { status: 'generating' });
    f.runningJob = await insertJob(f.busy, owner, 'generating_lessons');
    [{ id: f.busyProject }] = await db.query(
      `SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position LIMIT 1`,
      [f.busy],
    );
    f.completedJob = await insertJob(
      await createCourse(app, owner, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), { status: 'ready' }),
      owner,
      'completed',
    );
    f.failedJob = await insertJob(await createCourse(app, owner, outline), owner, 'failed');
    const [ids] = await db.query(
      `SELECT p.id AS project, l.id AS lesson, t.id AS task FROM course_projects p
       JOIN lessons l ON l.project_id = p.id JOIN tasks t ON t.lesson_id = l.id WHERE p.course_id = $1`,
      [f.published],
    );
    f.ids = ids;

    const otherCourse = await createCourse(app, stranger, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'generating',
    });
    const [other] = await db.query(
      `SELECT p.id AS project, l.id AS lesson, t.id AS task FROM course_projects p
       JOIN lessons l ON l.project_id = p.id JOIN tasks t ON t.lesson_id = l.id WHERE p.course_id = $1`,
      [otherCourse],
    );
    f.other = {
      course: otherCourse,
      ...other,
      job: await insertJob(otherCourse, stranger, 'generating_tasks'),
    };
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the table holds at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [`${c.method.toUpperCase()} ${c.name} → ${c.status}`, c] as const))(
    '%s',
    async (_title, c) => {
      const before = await countEveryTable(db);
      const http = request(app.baseUrl);
      let req = http[c.method](c.path(f)).set('X-Forwarded-For', `10.9.${CASES.indexOf(c)}.1`);
      const token = c.as === 'nobody' ? undefined : tokens[c.as];
      if (token && c.cookie) req = req.set('Cookie', `${SESSION_COOKIE_NAME}=${token}`);
      else if (token) req = req.set('Authorization', `Bearer ${token}`);
      for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value);
      const res = c.file
        ? await req.attach('file', c.file.data, c.file.name)
        : c.raw
          ? await req.set('Content-Type', c.raw.type).send(c.raw.data)
          : c.body !== undefined
            ? await req.send((typeof c.body === 'function' ? c.body(f) : c.body) as object)
            : await req;

      expect({ status: res.status, body: res.body }).toEqual({
        status: c.status,
        body: {
          statusCode: c.status,
          error: ERROR[c.status],
          message: c.message,
          request_id: expect.any(String),
          ...c.extra?.(f),
        },
      });
      expect(await countEveryTable(db)).toEqual(before);
    },
  );

  it('double queue at the same instant from two clients: exactly one 201, the other 409; one job row', async () => {
    const target = await createCourse(app, owner, {
      ...courseSpec({ projects: 2, lessons: 0, title: 'Twice' }),
      topic: 'twice',
    });
    const before = await countEveryTable(db);
    const clients = [tokens.owner!, tokens.admin!];
    const results = await Promise.all(
      clients.map((token) =>
        request(app.baseUrl)
          .post(`${GENERATE}/${target}/queue`)
          .set('Authorization', `Bearer ${token}`)
          .send({ auto_publish: false }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const created = results.find((r) => r.status === 201)!;
    const refused = results.find((r) => r.status === 409)!;
    expect(created.body).toEqual({ success: true, job_id: expect.any(String) });
    expect(refused.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: 'This course already has an active generation job',
    });
    if ('job_id' in refused.body) expect(refused.body.job_id).toBe(created.body.job_id);
    const after = await countEveryTable(db);
    expect(after).toEqual({ ...before, course_generation_jobs: before.course_generation_jobs + 1 });
    const rows = await db.query(`SELECT id, status FROM course_generation_jobs WHERE course_id = $1`, [
      target,
    ]);
    expect(rows).toEqual([{ id: created.body.job_id, status: 'pending' }]);
  });
});
