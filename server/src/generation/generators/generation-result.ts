import type { LlmUsage } from '../llm-provider';

/** What a generator returns: the validated items and the cost of the one model call that wrote them. */
export interface GenerationResult<I> {
  items: I[];
  usage: LlmUsage;
  model: string;
  duration_ms: number;
  /** The prompt template's version id, e.g. 'lessons@1'. */
  prompt_id: string;
  /** USD of the call, priced when it returned; null = unknown price (docs/costs.md). */
  cost_usd: number | null;
}

/** Caller tags plus the generator's own (stage, prompt, counts), which win. */
export function withStageTags(
  callerTags: Record<string, string> | undefined,
  own: Record<string, string>,
): Record<string, string> {
  return { ...callerTags, ...own };
}
