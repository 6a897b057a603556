/** DI token of the one `LlmProvider` the process uses (chosen from config by `createLlmProvider`). */
export const LLM_PROVIDER = Symbol('LLM_PROVIDER');

/** HTTP adapters send each request tag as a header `x-courseloom-<key>` (e.g. `x-courseloom-step`). */
export const TAG_HEADER_PREFIX = 'x-courseloom-';

/**
 * The tags the generators attach to every call (sent as `x-courseloom-<key>` headers by the HTTP adapters, so
 * the fake server in `test/` can count calls per step and job and honour the requested counts).
 */
export const TAG = {
  /** 'outline' | 'lessons' | 'tasks' */
  stage: 'stage',
  /** The prompt template's version id, e.g. 'lessons@1'. */
  prompt: 'prompt',
  /** Items requested: proposals for 'outline', lessons or tasks otherwise. */
  count: 'count',
  /** Projects per proposal (outline only). */
  projectCount: 'project-count',
  /** Set by callers: the course id. */
  course: 'course',
  /** Set by callers: the generation job id. */
  job: 'job',
  /** Set by callers: 'outline' | 'lessons:<projectId>' | 'tasks:<lessonId>'. */
  step: 'step',
} as const;

/** Counts used when a request does not name them. */
export const DEFAULT_COUNTS = {
  proposals: 3,
  projects: 5,
  lessonsPerProject: 3,
  tasksPerLesson: 3,
} as const;

/** Bounds on every count a caller may ask for (the output schemas enforce the same bounds). */
export const COUNT_LIMITS = {
  proposals: { min: 1, max: 5 },
  projects: { min: 1, max: 12 },
  lessonsPerProject: { min: 1, max: 8 },
  tasksPerLesson: { min: 1, max: 8 },
} as const;
