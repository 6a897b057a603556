import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The fields of the unit of work a log line belongs to: an HTTP request, or a queue job and its step. The root
 * logger adds them to every line written while that work runs — Nest `Logger` lines of services included — so one
 * request or one job can be followed across processes (docs/queue.md, "Following a job in the logs").
 */
export interface LogFields {
  /** The request id (x-request-id) of the HTTP request. */
  req_id?: string;
  /** The job row's id (what the API answers as `job_id`), in the API and in every worker. */
  job_id?: string;
  job_type?: string;
  course_id?: string;
  /** A step: its kind (`lessons`, `tasks` …), its queue entry id and the item it works on. */
  step_kind?: string;
  step_id?: string;
  item_id?: string;
  /** A synchronous endpoint's model call run on a worker (its queue entry id). */
  model_call_id?: string;
  /** A webhook delivery run on a worker. */
  delivery_id?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to those of the enclosing unit of work (if any); promises and timers it starts inherit them. */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run(assignDefined({ ...storage.getStore() }, fields), fn);
}

/**
 * Adds fields learnt after the work began (the course of a job, once its row is read) to the current unit of work.
 * Outside one it does nothing.
 */
export function addLogFields(fields: LogFields): void {
  const store = storage.getStore();
  if (store) assignDefined(store, fields);
}

/** An unknown value (undefined) never hides a known one. */
function assignDefined(target: LogFields, fields: LogFields): LogFields {
  for (const key of Object.keys(fields) as (keyof LogFields)[]) {
    if (fields[key] !== undefined) target[key] = fields[key];
  }
  return target;
}

/** The fields of the current unit of work, if any (read-only: change them through addLogFields). */
export function currentLogFields(): Readonly<LogFields> | undefined {
  return storage.getStore();
}

/** What a request id may look like when it is taken from outside (a header, a queue payload). */
export const REQUEST_ID_PATTERN = /^[\w-]{1,64}$/;

const NO_FIELDS: LogFields = Object.freeze({});

/**
 * pino options that add the current fields to every line. Cheap on purpose (every log line pays it): no context,
 * no allocation; within one, a single object. Fields the call passes itself win; the stored object is never
 * mutated by pino.
 */
export const logContextOptions = {
  mixin: (): LogFields => storage.getStore() ?? NO_FIELDS,
  mixinMergeStrategy: (mergeObject: object, fields: object): object =>
    fields === NO_FIELDS ? mergeObject : { ...fields, ...mergeObject },
};

/**
 * Express middleware, after pino-http (which sets `req.id`): the rest of the request — guards, services, filters —
 * runs with its `req_id`. Body parsing keeps the context (raw-body binds its callback to it).
 */
export function requestLogContext(req: { id?: unknown }, _res: unknown, next: () => void): void {
  if (typeof req.id !== 'string') return next();
  withLogFields({ req_id: req.id }, next);
}
