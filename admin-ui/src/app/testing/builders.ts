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
  TaskView,
  UserView,
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
    ...overrides,
  };
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

export function aJobDetail(job: JobView, logs: JobLogEntry[] = [aLogEntry()]): JobDetailResponse {
  return { job, logs };
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
        },
      ],
      totals: { prompt_tokens: 120, completion_tokens: 480, calls: 1 },
    },
    ...overrides,
  };
}
