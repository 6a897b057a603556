import { generateText, Output, wrapLanguageModel } from 'ai';
import type { CallDeadline } from '../call-deadline';
import type { LlmRequest, LlmResult } from '../llm-provider';
import { stripNulMiddleware } from './strip-nul';
import { tagHeaders } from './tag-headers';
import { toWireSchema } from './wire-schema';

type SdkModel = Parameters<typeof wrapLanguageModel>[0]['model'];

/**
 * One structured-output call through the AI SDK: `generateText` + `Output.object`, no SDK retries (the queue's
 * step attempts are the one retry layer), the deadline's signal, and the request's tags as headers. NUL
 * characters are removed from the answer before it is parsed (see strip-nul.ts).
 * Errors are thrown as the SDK raised them; the adapter classifies them.
 */
export async function generateWithAiSdk<T>(
  model: SdkModel,
  req: LlmRequest<T>,
  opts: { system: string; deadline: CallDeadline; requestedModel: string; startedAt: number },
): Promise<LlmResult<T>> {
  const result = await generateText({
    model: wrapLanguageModel({ model, middleware: stripNulMiddleware }),
    system: opts.system,
    prompt: req.prompt,
    output: Output.object({ schema: toWireSchema(req.schema), name: req.schemaName }),
    abortSignal: opts.deadline.signal,
    headers: tagHeaders(req.tags),
    maxRetries: 0,
  });
  return {
    object: result.output,
    usage: {
      // inputTokens counts every prompt token; the cache reads and writes are parts of it (docs/costs.md).
      prompt_tokens: result.usage.inputTokens ?? 0,
      completion_tokens: result.usage.outputTokens ?? 0,
      cached_prompt_tokens:
        result.usage.inputTokenDetails?.cacheReadTokens ?? result.usage.cachedInputTokens ?? 0,
      cache_write_tokens: result.usage.inputTokenDetails?.cacheWriteTokens ?? 0,
    },
    model: result.response.modelId || opts.requestedModel,
    duration_ms: Math.round(performance.now() - opts.startedAt),
  };
}
