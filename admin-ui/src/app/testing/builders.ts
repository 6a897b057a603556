import type {
  CourseDetail,
  CourseSummary,
  JobDetailResponse,
  JobListResponse,
  JobLogEntry,
  JobView,
  LessonView,
  Outline,
  ProjectView,
  StepStatus,
  StepView,
  TaskView,
  UserView,
  VersionDetail,
  VersionSummary,
} from '@contracts/api';

/** Test-data builders: a valid object with overridable fields. Used by specs only. */

export function aUser(overrides: Partial<UserView> = {}): UserView {
  return {
    id: 'u-1',
    email: 'admin@courseloom.local',
    role: 'owner',
    is_operator: false,
    organization: { id: 'o-1', name: 'Courseloom Academy' },
    created_at: '2024-01-13T09:00:00Z',
    ...overrides,
  };
}

export function aJob(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    course_id: 'course-1',
    course_title: 'Build a Board Game from Scratch',
    user_id: 'u-1',
    organization_id: 'o-1',
    status: 'generating_lessons',
    current_step: 'lessons',
    current_item: 'Design Your Game Concept',
    items_completed: 3,
    items_total: 5,
    created_at: '2024-01-13T10:29:50Z',
    started_at: '2024-01-13T10:30:00Z',
    completed_at: null,
    updated_at: '2024-01-13T10:30:30Z',
    duration_seconds: null,
    error_message: null,
    failed_step: null,
    retry_count: 0,
    auto_publish: true,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    cost_usd: 0,
    unpriced_calls: 0,
    job_type: 'course_generation',
    step_counts: stepCounts(),
    target: null,
    max_cost_usd: null,
    pause_reason: null,
    ...overrides,
  };
}

/** Per-status step counts: zero for every status not given. */
export function stepCounts(counts: Partial<Record<StepStatus, number>> = {}): Record<StepStatus, number> {
  return { queued: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, ...counts };
}

export function aCompletedJob(overrides: Partial<JobView> = {}): JobView {
  return aJob({
    status: 'completed',
    current_step: null,
    current_item: null,
    items_completed: 15,
    items_total: 15,
    completed_at: '2024-01-13T10:34:32Z',
    duration_seconds: 272,
    ...overrides,
  });
}

export function aJobList(jobs: JobView[], total = jobs.length): JobListResponse {
  return { jobs, total, page: 1, page_size: 50 };
}

export function aLogEntry(overrides: Partial<JobLogEntry> = {}): JobLogEntry {
  return {
    timestamp: '2024-01-13T10:30:00Z',
    level: 'info',
    message: 'Starting course generation job',
    ...overrides,
  };
}

export function aJobDetail(
  job: JobView,
  logs: JobLogEntry[] = [aLogEntry()],
  page: Partial<Pick<JobDetailResponse, 'logs_cursor' | 'logs_more'>> = {},
): JobDetailResponse {
  return { job, logs, logs_cursor: logs.length ? `c-${logs.length}` : null, logs_more: false, ...page };
}

/** A succeeded lessons step of project-1 (run 0); override `kind: 'tasks'` etc. for the others. */
export function aStep(overrides: Partial<StepView> = {}): StepView {
  return {
    id: 'step-1',
    job_id: 'job-1',
    run: 0,
    kind: 'lessons',
    item_id: 'project-1',
    item_title: 'Design Your Game Concept',
    parent_item_id: null,
    project_position: 0,
    lesson_position: null,
    status: 'succeeded',
    attempts: 1,
    attempt_history: [
      {
        attempt: 1,
        started_at: '2024-01-13T10:30:01Z',
        finished_at: '2024-01-13T10:30:05Z',
        outcome: 'succeeded',
        error_kind: null,
        error_message: null,
      },
    ],
    started_at: '2024-01-13T10:30:01Z',
    finished_at: '2024-01-13T10:30:05Z',
    duration_ms: 4200,
    model: 'sample-1',
    prompt_id: 'lessons@1',
    prompt_tokens: 300,
    completion_tokens: 900,
    cached_tokens: 0,
    cost_usd: 0.0021,
    error_kind: null,
    error_message: null,
    ...overrides,
  };
}

/** A tasks step of a lesson of project-1. */
export function aTasksStep(overrides: Partial<StepView> = {}): StepView {
  return aStep({
    id: 'step-t-1',
    kind: 'tasks',
    item_id: 'lesson-1',
    item_title: 'Understanding Game Mechanics',
    parent_item_id: 'project-1',
    lesson_position: 0,
    prompt_id: 'tasks@1',
    ...overrides,
  });
}

export function anOutline(title = 'Build a Board Game from Scratch', projects = 3): Outline {
  return {
    title,
    description: `A hands-on course: ${title}.`,
    projects: Array.from({ length: projects }, (_, i) => ({
      title: `${title} — project ${i + 1}`,
      description: `Project ${i + 1} of ${title}.`,
      objectives: [`Objective ${i + 1}`],
    })),
  };
}

export function aCourseSummary(overrides: Partial<CourseSummary> = {}): CourseSummary {
  return {
    id: 'course-1',
    title: 'Build a Board Game from Scratch',
    description: 'Design, prototype and playtest a board game.',
    topic: 'board games',
    audience: 'hobbyists',
    level: 'beginner',
    language: 'en',
    status: 'draft',
    counts: { projects: 2, lessons: 3, tasks: 4 },
    created_by: 'u-1',
    created_at: '2024-01-13T09:00:00Z',
    updated_at: '2024-01-13T10:00:00Z',
    published_at: null,
    auto_publish_updates: false,
    review_notice: null,
    ...overrides,
  };
}

export function aTask(overrides: Partial<TaskView> = {}): TaskView {
  return {
    id: 'task-1',
    lesson_id: 'lesson-1',
    position: 0,
    title: 'Sketch three game mechanics',
    instructions: 'Write down three mechanics you enjoy.',
    kind: 'exercise',
    estimated_minutes: 15,
    ...overrides,
  };
}

export function aLesson(overrides: Partial<LessonView> = {}): LessonView {
  return {
    id: 'lesson-1',
    project_id: 'project-1',
    position: 0,
    title: 'Understanding Game Mechanics',
    summary: 'What makes a game fun.',
    content: '# Mechanics\n\nA **mechanic** is a rule.',
    estimated_minutes: 20,
    tasks: [aTask()],
    ...overrides,
  };
}

export function aProject(overrides: Partial<ProjectView> = {}): ProjectView {
  return {
    id: 'project-1',
    course_id: 'course-1',
    position: 0,
    title: 'Design Your Game Concept',
    description: 'From idea to one-page concept.',
    objectives: ['Pick a theme'],
    lessons: [aLesson()],
    ...overrides,
  };
}

export function aCourseDetail(overrides: Partial<CourseDetail> = {}): CourseDetail {
  return {
    ...aCourseSummary(),
    projects: [aProject()],
    usage: {
      rows: [
        {
          stage: 'outline',
          model: 'sample-1',
          prompt_tokens: 120,
          completion_tokens: 480,
          duration_ms: 900,
          created_at: '2024-01-13T09:00:00Z',
          cached_tokens: 0,
          cost_usd: 0.0012,
        },
      ],
      totals: {
        prompt_tokens: 120,
        completion_tokens: 480,
        calls: 1,
        cached_tokens: 0,
        cost_usd: 0.0012,
        unpriced_calls: 0,
      },
    },
    quality_report: null,
    ...overrides,
  };
}

/** A running `course_regeneration` job rewriting the tasks of lesson-1. */
export function aRegenerationJob(overrides: Partial<JobView> = {}): JobView {
  return aJob({
    id: 'job-regen',
    job_type: 'course_regeneration',
    status: 'generating_tasks',
    current_step: 'tasks',
    current_item: 'Understanding Game Mechanics',
    items_completed: 0,
    items_total: 1,
    target: {
      target: 'lesson_tasks',
      item_id: 'lesson-1',
      item_title: 'Understanding Game Mechanics',
      instructions: 'More hands-on',
    },
    ...overrides,
  });
}

/** The tasks of lesson-1 as a regeneration job replaced them. */
export function aVersion(overrides: Partial<VersionSummary> = {}): VersionSummary {
  return {
    id: 'v-1',
    course_id: 'course-1',
    item_id: 'lesson-1',
    kind: 'lesson_tasks',
    cause: 'regenerated',
    created_at: '2024-01-14T09:30:00Z',
    job_id: 'job-regen-0001',
    model: 'sample-1',
    prompt_id: 'tasks@2',
    user_id: null,
    user_name: null,
    restored_version_id: null,
    label: '1 task',
    ...overrides,
  };
}

/** A version with its snapshot (the old tasks) and the current tasks. */
export function aVersionDetail(
  snapshot: TaskView[] = [aTask()],
  current: TaskView[] = [aTask({ id: 'task-2', title: 'Build a prototype', instructions: 'Cut cards.' })],
  overrides: Partial<VersionSummary> = {},
): VersionDetail {
  return {
    ...aVersion(overrides),
    snapshot: { kind: 'lesson_tasks', tasks: snapshot },
    current: { kind: 'lesson_tasks', tasks: current },
  };
}
