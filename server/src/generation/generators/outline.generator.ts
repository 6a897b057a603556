import { Inject, Injectable } from '@nestjs/common';
import { PriceTable } from '../../pricing/price-table';
import type { CourseLevel, Outline } from '../../../../contracts/api';
import { InvalidInputError } from '../../common/domain-error';
import { COUNT_LIMITS, DEFAULT_COUNTS, LLM_PROVIDER, TAG } from '../generation.constants';
import type { LlmProvider } from '../llm-provider';
import { outlinePrompt } from '../prompts/outline.prompt';
import type { OutlineContext } from '../prompts/prompt-context';
import { OUTLINE_PROPOSALS_SCHEMA_NAME, outlineProposalsSchema } from '../schemas/outline.schema';
import { countWithin } from './counts';
import { withStageTags, type GenerationResult } from './generation-result';

/** Content language when a request names none (a language tag, as stored on courses). */
export const DEFAULT_LANGUAGE = 'en';

export interface OutlineRequest {
  topic: string;
  audience?: string;
  level?: CourseLevel | null;
  language?: string;
  /** Projects per proposal (default 5, 1–12). */
  project_count?: number;
  /** Proposals (default 3, 1–5). */
  proposals?: number;
  /** Varies the sample provider's output for the same topic. */
  seed?: number;
}

/** Stage 1: a topic in, a few alternative course outlines out (one model call). */
@Injectable()
export class OutlineGenerator {
  constructor(
    @Inject(LLM_PROVIDER) private readonly llm: LlmProvider,
    private readonly prices: PriceTable,
  ) {}

  async propose(
    req: OutlineRequest,
    signal?: AbortSignal,
    tags?: Record<string, string>,
  ): Promise<GenerationResult<Outline>> {
    const topic = req.topic?.trim();
    if (!topic) throw new InvalidInputError('topic is required');
    const ctx: OutlineContext = {
      stage: 'outline',
      topic,
      audience: req.audience?.trim() ?? '',
      level: req.level ?? null,
      language: req.language?.trim() || DEFAULT_LANGUAGE,
      project_count: countWithin(
        'project_count',
        req.project_count,
        DEFAULT_COUNTS.projects,
        COUNT_LIMITS.projects,
      ),
      proposals: countWithin('proposals', req.proposals, DEFAULT_COUNTS.proposals, COUNT_LIMITS.proposals),
      ...(req.seed === undefined ? {} : { seed: req.seed }),
    };
    const result = await this.llm.generateObject({
      stage: 'outline',
      schema: outlineProposalsSchema(ctx.proposals, ctx.project_count),
      schemaName: OUTLINE_PROPOSALS_SCHEMA_NAME,
      system: outlinePrompt.system,
      prompt: outlinePrompt.render(ctx),
      context: ctx,
      signal,
      tags: withStageTags(tags, {
        [TAG.stage]: 'outline',
        [TAG.step]: tags?.[TAG.step] ?? 'outline',
        [TAG.prompt]: outlinePrompt.id,
        [TAG.count]: String(ctx.proposals),
        [TAG.projectCount]: String(ctx.project_count),
      }),
    });
    const items: Outline[] = result.object.outlines;
    return {
      items,
      usage: result.usage,
      model: result.model,
      duration_ms: result.duration_ms,
      prompt_id: outlinePrompt.id,
      cost_usd: this.prices.cost(result.usage, result.model, 'outline'),
    };
  }
}
