/**
 * The HTTP contract between the API and the admin UI (snake_case, as in the plan). Plain types only: the
 * server's DTOs implement them and the UI's API clients consume them; neither side imports the other.
 */

// ---------- accounts ----------
export type UserRole = 'owner' | 'admin';

export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  /** An operator of the installation (Bull Board, cluster-wide actions), whatever the organization role. */
  is_operator: boolean;
  organization: { id: string; name: string };
  created_at: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  access_token: string;
  expires_at: string;
  user: UserView;
}

/** GET /api/admin/users (owners): the organization's users. */
export interface UserListResponse {
  users: UserView[];
}

// ---------- API keys (docs/accounts-and-curriculum.md#api-keys) ----------
export const API_KEY_NAME_MAX = 100;

/** POST /api/admin/api-keys (owners). */
export interface CreateApiKeyRequest {
  name: string;
  role: UserRole;
}

/** A key as listed: never its secret, only the prefix it starts with (`clk_…`). */
export interface ApiKeyView {
  id: string;
  name: string;
  role: UserRole;
  /** The key's first characters, e.g. `clk_3f9a1c2b7d4e`, to recognise it. */
  prefix: string;
  created_at: string;
  /** Updated at most once a minute; null when never used. */
  last_used_at: string | null;
  created_by: { id: string; email: string };
}

/** The answer to POST /api/admin/api-keys: the only time `key` is ever shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** GET /api/admin/api-keys: the organization's keys that are not revoked, oldest first. */
export interface ApiKeyListResponse {
  api_keys: ApiKeyView[];
}

// ---------- curriculum ----------
export const COURSE_STATUSES = ['draft', 'generating', 'ready', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];
export const COURSE_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];
export const TASK_KINDS = ['exercise', 'quiz', 'reflection', 'project'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface TaskView {
  id: string;
  lesson_id: string;
  position: number;
  title: string;
  instructions: string;
  kind: TaskKind;
  estimated_minutes: number | null;
}

export interface LessonView {
  id: string;
  project_id: string;
  position: number;
  title: string;
  summary: string;
  content: string;
  estimated_minutes: number | null;
  tasks: TaskView[];
}

export interface ProjectView {
  id: string;
  course_id: string;
  position: number;
  title: string;
  description: string;
  objectives: string[];
  lessons: LessonView[];
}

export interface CourseCounts {
  projects: number;
  lessons: number;
  tasks: number;
}

export interface CourseSummary {
  id: string;
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  language: string;
  status: CourseStatus;
  counts: CourseCounts;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  /** Regenerating or restoring part of a published course keeps it published only when true (docs/regeneration.md). */
  auto_publish_updates: boolean;
  /** Why a course is in review: a regeneration or restore changed it once published, or the quality gate held it
   *  before auto-publish (docs/generation.md); null once published again. */
  review_notice: string | null;
}

export interface UsageRow {
  stage: GenerationStage;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  duration_ms: number;
  created_at: string;
  /** Part of prompt_tokens read from the provider's prompt cache. */
  cached_tokens: number;
  /** USD; null = unknown price (docs/costs.md). */
  cost_usd: number | null;
}

export interface UsageTotals {
  prompt_tokens: number;
  completion_tokens: number;
  calls: number;
  cached_tokens: number;
  /** USD of the calls with a known price (summed exactly); null when some were unpriced and none had a known cost. */
  cost_usd: number | null;
  /** Calls whose price is unknown (not in cost_usd). */
  unpriced_calls: number;
}

export interface CourseDetail extends CourseSummary {
  projects: ProjectView[];
  usage: { rows: UsageRow[]; totals: UsageTotals };
  /** The quality gate's last report (auto-publish only; docs/generation.md, "Quality gate"); null when never run. */
  quality_report: QualityReport | null;
}

/** The quality gate's checks, in the order they run (docs/generation.md, "Quality gate"). */
export const QUALITY_CHECKS = ['counts', 'duplicate_titles', 'placeholders', 'markdown', 'language'] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

/** One finding: an `error` holds the course for review, a `warning` is reported only. */
export interface QualityProblem {
  check: QualityCheck;
  severity: 'error' | 'warning';
  item_kind?: 'course' | 'project' | 'lesson' | 'task';
  item_id?: string;
  item_title?: string;
  message: string;
}

export interface QualityReport {
  /** True when no problem is an error. */
  passed: boolean;
  checked_at: string;
  /** The first 200 problems, in check order. */
  problems: QualityProblem[];
  /** Every problem found (more than `problems.length` when the list was cut). */
  problems_total: number;
}

/** GET /api/admin/curriculum/courses/:id/export?format= — what each one contains: docs/export.md. */
export const EXPORT_FORMATS = ['scorm12', 'scorm2004', 'imscc', 'markdown', 'markdown-zip', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The `format=json` download: the course exactly as GET /courses/:id returns it, with its schema version. */
export interface CourseExportJson {
  export_schema_version: 1;
  exported_at: string;
  course: CourseDetail;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** GET /api/admin/curriculum/courses?status=&search=&page=&page_size= */
export type CourseListResponse = Page<CourseSummary>;

/** POST /api/admin/curriculum/courses/:id/publish → 409 body when the tree is incomplete. */
export interface PublishConflict {
  statusCode: 409;
  message: string;
  error: 'Conflict';
  missing: { projects_without_lessons: string[]; lessons_without_tasks: string[] };
  /** As on every error body (ApiError). */
  request_id?: string;
}

// ---------- generation (Stage 1 and the manual path) ----------
export type GenerationStage = 'outline' | 'lessons' | 'tasks';

export interface OutlineProject {
  title: string;
  description: string;
  objectives: string[];
}

export interface Outline {
  title: string;
  description: string;
  projects: OutlineProject[];
}

export interface GenerateOutlinesRequest {
  topic: string;
  audience?: string;
  level?: CourseLevel;
  language?: string;
  project_count?: number;
  proposals?: number;
}

export interface GenerateOutlinesResponse {
  outlines: Outline[];
  provider: { name: string; model: string; sample: boolean };
  /** Identifies this model call (always sent by the API); send it back with the approval so its token usage is
   *  recorded on the course. */
  generation_id?: string;
}

export interface ApproveOutlineRequest {
  outline: Outline;
  topic: string;
  audience?: string;
  level?: CourseLevel;
  language?: string;
  /** From the GenerateOutlinesResponse the outline came from (optional: without it no outline usage is recorded). */
  generation_id?: string;
}

export interface ApproveOutlineResponse {
  course_id: string;
}

/** POST /api/admin/curriculum/generate/:courseId/lessons  body: { project_id? } */
export interface GenerateLessonsResponse {
  projects: ProjectView[];
}

/** POST /api/admin/curriculum/generate/:courseId/tasks  body: { lesson_id? } */
export interface GenerateTasksResponse {
  lessons: LessonView[];
}

export interface ProviderInfo {
  name: string;
  model: string;
  sample: boolean;
}

// ---------- webhooks (docs/webhooks.md) ----------
export const WEBHOOK_EVENT_TYPES = [
  'job.queued',
  'job.started',
  'job.completed',
  'job.failed',
  'job.cancelled',
  'job.paused',
  'course.published',
  'course.unpublished',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 500;

/** POST /api/admin/webhooks (owners). */
export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

/** PATCH /api/admin/webhooks/:id — any subset; `enabled: true` re-enables a disabled endpoint (its failures reset). */
export interface UpdateWebhookRequest {
  url?: string;
  events?: WebhookEventType[];
  description?: string;
  enabled?: boolean;
}

/** An endpoint as listed: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Why it was disabled: by an owner, or after WEBHOOK_MAX_FAILURES failed deliveries in a row. */
  disabled_reason: string | null;
  disabled_at: string | null;
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
}

/** POST /api/admin/webhooks and POST …/:id/rotate-secret: the only time the signing secret (`whsec_…`) is shown. */
export interface WebhookSecretResponse {
  endpoint: WebhookEndpointView;
  secret: string;
}

export interface WebhookListResponse {
  endpoints: WebhookEndpointView[];
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event sent to one endpoint (all its attempts). `webhook_id` is the `webhook-id` header of every attempt. */
export interface WebhookDeliveryView {
  id: string;
  webhook_id: string;
  event_type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The last attempt's HTTP status (null: no answer — refused, timed out, connection failed). */
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

/** GET /api/admin/webhooks/:id/deliveries?page= — newest first. */
export interface WebhookDeliveryListResponse {
  deliveries: WebhookDeliveryView[];
  total: number;
  page: number;
  page_size: number;
}

// ---------- the generation queue ----------
export const JOB_STATUSES = [
  'pending',
  'generating_lessons',
  'generating_tasks',
  'finalizing',
  'completed',
  'failed',
  'cancelled',
  /** Stopped at a budget (its cost cap, or the organization's monthly budget): Resume or Cancel. docs/queue.md. */
  'paused',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** A paused job still holds its course (one active job per course). */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = [
  'pending',
  'generating_lessons',
  'generating_tasks',
  'finalizing',
  'paused',
];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export type JobStep = 'lessons' | 'tasks' | 'finalizing';
export type LogLevel = 'info' | 'warning' | 'error' | 'success';

export interface JobLogEntry {
  timestamp: string;
  level: LogLevel;
  message: string;
  details?: Record<string, unknown>;
}

export interface JobView {
  id: string;
  course_id: string;
  course_title: string;
  user_id: string;
  organization_id: string;
  status: JobStatus;
  current_step: JobStep | null;
  current_item: string | null;
  items_completed: number;
  items_total: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  updated_at: string;
  /** Seconds from started_at to completed_at; null while running. */
  duration_seconds: number | null;
  error_message: string | null;
  failed_step: JobStep | null;
  retry_count: number;
  auto_publish: boolean;
  prompt_tokens: number;
  completion_tokens: number;
  /** Part of prompt_tokens served from the provider's prompt cache. */
  cached_tokens: number;
  /**
   * USD of the calls with a known price; null when some were unpriced and none had a known cost
   * (docs/costs.md). With `unpriced_calls > 0` the true cost is higher than this sum.
   */
  cost_usd: number | null;
  /** Model calls whose price is unknown (not counted in cost_usd). */
  unpriced_calls: number;
  /** The job type (`course_generation` for the plan's jobs). */
  job_type: string;
  /** Steps of the current run by status (zero for a status with none). */
  step_counts: Record<StepStatus, number>;
  /** What a `course_regeneration` job rewrites (null for other types): docs/regeneration.md. */
  target: RegenerationTargetView | null;
  /** The job's cost cap in USD (null: none); it pauses when its cost reaches it (docs/costs.md, "Budgets"). */
  max_cost_usd: number | null;
  /** Why a `paused` job paused ("Reached its cost cap of $1.00 ($1.02 spent)"); null otherwise. */
  pause_reason: string | null;
}

/** POST /api/admin/curriculum/generate/:courseId/queue  body: QueueCourseRequest */
export interface QueueCourseRequest {
  auto_publish: boolean;
  /** Cost cap of the job in USD (default: the organization's default job cap; docs/costs.md). */
  max_cost_usd?: number;
}

/** The largest cost cap or budget the API takes, in USD. */
export const BUDGET_MAX_USD = 1_000_000;

/** POST /api/admin/curriculum/generate/jobs/:jobId/resume — a paused job resumes in a new run. */
export interface ResumeJobRequest {
  /** A new cap, above what the job has spent (default: keep the cap). */
  max_cost_usd?: number;
}

/**
 * GET /api/admin/curriculum/generate/:courseId/estimate[?target=&id=] — what queueing (or regenerating a part)
 * would cost, from the organization's earlier steps (docs/costs.md, "Budgets and estimates").
 */
export interface GenerationEstimate {
  model_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** Null when the model's price is unknown. */
  cost_usd: number | null;
  minutes: number;
  /** True when the token figures come from earlier runs of this model and prompt (else built-in defaults). */
  from_history: boolean;
}

/** GET/PUT /api/admin/settings (PUT: owners only). Amounts in USD; null = none. */
export interface OrganizationSettings {
  monthly_budget_usd: number | null;
  default_job_cap_usd: number | null;
}

/** GET /api/admin/settings: the settings and this month's model spend. */
export interface OrganizationSettingsView extends OrganizationSettings {
  month: string;
  month_spent_usd: number;
}

export interface QueueCourseResponse {
  success: true;
  job_id: string;
}

/**
 * GET /api/admin/curriculum/generate/jobs?status=&scope=mine|organization&search=&job_type=&from=&to=&course_id=
 * &page=&page_size= (docs/queue.md, "Listing jobs")
 */
export interface JobListResponse {
  jobs: JobView[];
  total: number;
  page: number;
  page_size: number;
}

/** The list's filters without paging: what "Retry all failed" applies to (docs/queue.md, "Bulk actions"). */
export interface JobListFilterQuery {
  scope?: 'mine' | 'organization';
  search?: string;
  job_type?: string;
  /** ISO 8601 date or date-time: created at or after it. */
  from?: string;
  /** ISO 8601 date (the whole day included) or date-time (created at or before it). */
  to?: string;
  course_id?: string;
}

export type BulkJobAction = 'retry' | 'cancel';
/** The most ids one bulk request takes, and the most failed jobs one "retry all failed" retries. */
export const BULK_JOB_IDS_MAX = 100;
export const BULK_FILTER_MAX = 1000;

/** POST /api/admin/curriculum/generate/jobs/bulk: `job_ids` (1–100), or for `retry` a `filter` (failed jobs). */
export interface BulkJobsRequest {
  action: BulkJobAction;
  job_ids?: string[];
  filter?: JobListFilterQuery;
}

export type BulkJobOutcome = 'retried' | 'cancelled' | 'skipped' | 'not_found';

export interface BulkJobResult {
  job_id: string;
  outcome: BulkJobOutcome;
  /** Why a job was skipped (its status, a used-up budget…). */
  message?: string;
}

export interface BulkJobsResponse {
  results: BulkJobResult[];
  /** With `filter`: more failed jobs matched than one request retries (BULK_FILTER_MAX); send it again. */
  more?: boolean;
}

/** GET /api/admin/curriculum/generate/jobs/:jobId[?logs_after=<cursor>] */
export interface JobDetailResponse {
  job: JobView;
  /** Oldest first: the whole log up to a page (LOG_PAGE_SIZE), or the entries after `logs_after`. */
  logs: JobLogEntry[];
  /** Pass as `logs_after` to get the entries after the last one returned (the log viewer follows the tail). */
  logs_cursor: string | null;
  /** True when more entries follow `logs_cursor` right now (ask again at once). */
  logs_more: boolean;
}

// ---------- steps: one record per model call (or other unit of work) of a job run ----------
export const STEP_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** How one attempt of a step ended. */
export interface StepAttempt {
  attempt: number;
  started_at: string;
  finished_at: string | null;
  outcome: 'running' | 'succeeded' | 'failed' | 'retrying' | 'cancelled' | 'skipped';
  /** The classified error kind (rate_limited, transient, invalid_output, permanent, aborted, infrastructure …). */
  error_kind: string | null;
  error_message: string | null;
}

export interface StepView {
  id: string;
  job_id: string;
  /** The job's retry_count when this step ran (one row per step per run). */
  run: number;
  /** The step kind: 'lessons' (the lessons of a project) or 'tasks' (the tasks of a lesson) for course jobs. */
  kind: string;
  /** The project (lessons step) or lesson (tasks step) it works on. */
  item_id: string;
  item_title: string;
  /** For a tasks step: the project of its lesson; null for a lessons step. */
  parent_item_id: string | null;
  /** Course order: the project's position, then the lesson's (null for a lessons step). */
  project_position: number;
  lesson_position: number | null;
  status: StepStatus;
  attempts: number;
  attempt_history: StepAttempt[];
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  model: string | null;
  /** e.g. `lessons@1`. */
  prompt_id: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** Part of prompt_tokens served from the provider's prompt cache. */
  cached_tokens: number;
  /** USD of the step's call; null = not succeeded yet, or unknown price (docs/costs.md). */
  cost_usd: number | null;
  /** The last error, when failed. */
  error_kind: string | null;
  error_message: string | null;
}

// ---------- usage: the organization's model calls of one month (docs/costs.md, "The usage report") ----------
/** Sums of one group of calls; cost_usd as in UsageTotals (known sum; null when only unpriced calls). */
export interface UsageSums {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_usd: number | null;
  unpriced_calls: number;
}

/** GET /api/admin/usage?month=YYYY-MM (UTC month; the current one by default). Every group adds up to `totals`. */
export interface UsageReport {
  month: string;
  totals: UsageSums;
  by_model: (UsageSums & { model: string })[];
  /** `user_id` null: the user was deleted; `email` null then too. */
  by_user: (UsageSums & { user_id: string | null; email: string | null })[];
  /** `job_type` null: calls of the synchronous endpoints (outline proposals, manual generation). */
  by_job_type: (UsageSums & { job_type: string | null })[];
  /** Days of the month with calls, oldest first (`YYYY-MM-DD`, UTC). */
  by_day: (UsageSums & { day: string })[];
}

/** GET /api/admin/curriculum/generate/jobs/:jobId/steps[?run=N] — the latest run by default, in course order. */
export interface JobStepsResponse {
  steps: StepView[];
}

export interface SuccessResponse {
  success: true;
}

/** Every error body. */
export interface ApiError {
  statusCode: number;
  message: string | string[];
  error: string;
  request_id?: string;
  [extra: string]: unknown;
}

// ---------- regenerating part of a course, and versions (docs/regeneration.md) ----------
export const REGENERATION_TARGETS = ['project_lessons', 'lesson_tasks'] as const;
/** `project_lessons`: the lessons of one project (then their tasks); `lesson_tasks`: the tasks of one lesson. */
export type RegenerationTarget = (typeof REGENERATION_TARGETS)[number];
export const REGENERATION_INSTRUCTIONS_MAX = 1000;

/** POST /api/admin/curriculum/generate/:courseId/regenerate → QueueCourseResponse ({ success, job_id }). */
export interface RegenerateRequest {
  target: RegenerationTarget;
  /** The project id (project_lessons) or lesson id (lesson_tasks). */
  id: string;
  /** Optional guidance for the model, ≤ 1,000 characters. */
  instructions?: string;
  /** Cost cap of the job in USD (default: the organization's default job cap). */
  max_cost_usd?: number;
}

/** On JobView: the part a regeneration job rewrites. */
export interface RegenerationTargetView {
  target: RegenerationTarget;
  item_id: string;
  item_title: string;
  instructions: string | null;
}

/** What a version holds: the replaced part, exactly as the course API showed it. */
export const VERSION_KINDS = ['project_lessons', 'lesson_tasks', 'lesson', 'task'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];
/** Why the content was replaced: a regeneration job, a manual edit, or a restore of another version. */
export type VersionCause = 'regenerated' | 'edited' | 'restored';

export type VersionSnapshot =
  | { kind: 'project_lessons'; lessons: LessonView[] }
  | { kind: 'lesson_tasks'; tasks: TaskView[] }
  | { kind: 'lesson'; lesson: Omit<LessonView, 'tasks'> }
  | { kind: 'task'; task: TaskView };

export interface VersionSummary {
  id: string;
  course_id: string;
  /** The project (project_lessons), lesson (lesson_tasks, lesson) or task (task) the version belongs to. */
  item_id: string;
  kind: VersionKind;
  cause: VersionCause;
  /** When the content was replaced (the version was taken). */
  created_at: string;
  /** The regeneration job that replaced it (cause `regenerated`), with its model and prompt id. */
  job_id: string | null;
  model: string | null;
  prompt_id: string | null;
  /** Who edited or restored (cause `edited` / `restored`): "edited by <user_name>". */
  user_id: string | null;
  user_name: string | null;
  /** The version a restore brought back (cause `restored`). */
  restored_version_id: string | null;
  /** One line for lists: "3 lessons", "4 tasks", the lesson's or task's title. */
  label: string;
}

/** GET /api/admin/curriculum/courses/:id/versions?item=<id> — newest first. */
export interface VersionListResponse {
  versions: VersionSummary[];
}

/** GET …/versions/:versionId — one version, with what it holds and the same part as it is now (for a diff). */
export interface VersionDetail extends VersionSummary {
  snapshot: VersionSnapshot;
  /** null when the part's item no longer exists (e.g. a lesson whose project's lessons were replaced since). */
  current: VersionSnapshot | null;
}

/** POST …/versions/:versionId/restore → the course as it is now, and the version that recorded what was replaced. */
export interface RestoreVersionResponse {
  course: CourseDetail;
  version_id: string;
}
