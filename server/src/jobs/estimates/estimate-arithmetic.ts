import type { GenerationEstimate } from '../../../../contracts/api';

/** Per-call figures of one stage: the medians of earlier steps, or the built-in defaults. */
export interface StageFigures {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  duration_ms: number;
  from_history: boolean;
}

/** Figures for a stage with no history (docs/costs.md, "Budgets and estimates"). */
export const DEFAULT_FIGURES: Record<'lessons' | 'tasks', StageFigures> = {
  lessons: {
    prompt_tokens: 1200,
    completion_tokens: 900,
    cached_tokens: 0,
    duration_ms: 15_000,
    from_history: false,
  },
  tasks: {
    prompt_tokens: 1500,
    completion_tokens: 1400,
    cached_tokens: 0,
    duration_ms: 20_000,
    from_history: false,
  },
};

export interface StagePlan {
  /** Model calls of this phase. */
  calls: number;
  figures: StageFigures;
  /** USD per call at these figures; null when the model's price is unknown. */
  cost_per_call: number | null;
}

export interface Throughput {
  /** STEP_CONCURRENCY × workers (one worker assumed: the estimate is for `npm start`). */
  step_concurrency: number;
  /** MODEL_CONCURRENCY (0 = none). */
  model_concurrency: number;
  /** MODEL_CALLS_PER_MINUTE (0 = none). */
  calls_per_minute: number;
}

/**
 * The estimate from the plan of each phase (they run one after the other): tokens and cost add up per call; time is
 * the phase's rounds of parallel calls (within the concurrency settings) × the median call time, or the rate limit's
 * minutes if that is longer.
 */
export function estimate(phases: StagePlan[], t: Throughput): GenerationEstimate {
  let calls = 0;
  let prompt = 0;
  let completion = 0;
  let cost: number | null = 0;
  let minutes = 0;
  let fromHistory = phases.length > 0;
  for (const p of phases) {
    if (p.calls <= 0) continue;
    calls += p.calls;
    prompt += p.calls * p.figures.prompt_tokens;
    completion += p.calls * p.figures.completion_tokens;
    cost = cost === null || p.cost_per_call === null ? null : cost + p.calls * p.cost_per_call;
    fromHistory &&= p.figures.from_history;
    const parallel = Math.max(
      1,
      Math.min(p.calls, t.step_concurrency, t.model_concurrency > 0 ? t.model_concurrency : Infinity),
    );
    const byConcurrency = (Math.ceil(p.calls / parallel) * p.figures.duration_ms) / 60_000;
    const byRate = t.calls_per_minute > 0 ? p.calls / t.calls_per_minute : 0;
    minutes += Math.max(byConcurrency, byRate);
  }
  return {
    model_calls: calls,
    prompt_tokens: Math.round(prompt),
    completion_tokens: Math.round(completion),
    cost_usd: cost === null ? null : Math.round(cost * 1e6) / 1e6,
    minutes: Math.round(minutes * 10) / 10,
    from_history: calls > 0 && fromHistory,
  };
}

/** The model calls of generating a course: each project without lessons (its lessons, then their tasks), and each
 *  lesson without tasks. */
export function courseCalls(
  c: { projects: number; projects_with_lessons: number; lessons: number; lessons_with_tasks: number },
  lessonsPerProject: number,
): { lessons: number; tasks: number } {
  const empty = c.projects - c.projects_with_lessons;
  return { lessons: empty, tasks: empty * lessonsPerProject + (c.lessons - c.lessons_with_tasks) };
}
