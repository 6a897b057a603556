import { courseCalls, DEFAULT_FIGURES, estimate, StageFigures } from './estimate-arithmetic';

const figures = (over: Partial<StageFigures> = {}): StageFigures => ({
  prompt_tokens: 1000,
  completion_tokens: 500,
  cached_tokens: 0,
  duration_ms: 6000,
  from_history: true,
  ...over,
});
const free = { step_concurrency: 20, model_concurrency: 0, calls_per_minute: 0 };

describe('estimate arithmetic', () => {
  describe('courseCalls', () => {
    it('counts a lessons call per empty project, its expected lessons tasks calls, and a call per lesson without tasks', () => {
      expect(
        courseCalls({ projects: 3, projects_with_lessons: 1, lessons: 4, lessons_with_tasks: 1 }, 3),
      ).toEqual({ lessons: 2, tasks: 2 * 3 + 3 });
    });

    it('counts nothing for a course already written', () => {
      expect(
        courseCalls({ projects: 2, projects_with_lessons: 2, lessons: 6, lessons_with_tasks: 6 }, 3),
      ).toEqual({
        lessons: 0,
        tasks: 0,
      });
    });
  });

  describe('estimate', () => {
    it('adds tokens and cost per call over the phases', () => {
      const e = estimate(
        [
          { calls: 2, figures: figures(), cost_per_call: 0.001 },
          {
            calls: 6,
            figures: figures({ prompt_tokens: 2000, completion_tokens: 1000 }),
            cost_per_call: 0.002,
          },
        ],
        free,
      );
      expect(e).toMatchObject({
        model_calls: 8,
        prompt_tokens: 2 * 1000 + 6 * 2000,
        completion_tokens: 2 * 500 + 6 * 1000,
        cost_usd: 0.014,
        from_history: true,
      });
    });

    it('gives a null cost when one phase has no price', () => {
      const e = estimate(
        [
          { calls: 1, figures: figures(), cost_per_call: 0.001 },
          { calls: 1, figures: figures(), cost_per_call: null },
        ],
        free,
      );
      expect(e.cost_usd).toBeNull();
    });

    it('times each phase as rounds of parallel calls within the concurrency settings', () => {
      // 6 calls, 2 at once: 3 rounds of 6 s = 0.3 min; then 4 calls in 2 rounds of 6 s = 0.2 min.
      const t = { step_concurrency: 20, model_concurrency: 2, calls_per_minute: 0 };
      expect(
        estimate(
          [
            { calls: 6, figures: figures(), cost_per_call: 0 },
            { calls: 4, figures: figures(), cost_per_call: 0 },
          ],
          t,
        ).minutes,
      ).toBe(0.5);
    });

    it('takes the rate limit when it is slower than the concurrency', () => {
      const t = { step_concurrency: 20, model_concurrency: 0, calls_per_minute: 10 };
      expect(estimate([{ calls: 30, figures: figures(), cost_per_call: 0 }], t).minutes).toBe(3);
    });

    it('says when the figures are built-in defaults rather than history', () => {
      const e = estimate([{ calls: 1, figures: DEFAULT_FIGURES.lessons, cost_per_call: 0 }], free);
      expect(e.from_history).toBe(false);
    });
  });
});
