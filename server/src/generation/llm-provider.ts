import type { z } from 'zod';
import type { GenerationStage, ProviderInfo } from '../../../contracts/api';
import type { StageContext } from './prompts/prompt-context';

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Part of prompt_tokens the provider read from its prompt cache (priced at the cached rate: docs/costs.md). */
  cached_prompt_tokens?: number;
  /** Part of prompt_tokens written to the provider's cache (Anthropic prices these above the input rate). */
  cache_write_tokens?: number;
}

export interface LlmRequest<T> {
  stage: GenerationStage;
  /** Validates the model's output; content that fails it is never returned (`LlmError` kind `invalid_output`). */
  schema: z.ZodType<T>;
  /** Name of the output (sent as the JSON schema's name). */
  schemaName: string;
  system: string;
  prompt: string;
  /** The structured context the prompt was rendered from. HTTP adapters ignore it; the offline sample provider writes from it. */
  context?: StageContext;
  /** The caller's cancellation (e.g. the job was cancelled): the call stops and fails with kind `aborted`. */
  signal?: AbortSignal;
  /** Time allowed for this call; defaults to LLM_TIMEOUT_MS. Running out fails with kind `transient`. */
  timeoutMs?: number;
  /** Sent by HTTP adapters as headers `x-courseloom-<key>`; keys are lower-case words joined by `-`. */
  tags?: Record<string, string>;
}

export interface LlmResult<T> {
  object: T;
  usage: LlmUsage;
  /** The model that answered (as the provider reports it). */
  model: string;
  duration_ms: number;
}

/**
 * The port everything that writes content goes through: a prompt and a schema in, a validated object out.
 * Adapters never retry on their own (the SDKs' retries are switched off): a failure is thrown once as an
 * `LlmError` with its kind, and the caller (the queue's step attempts, or the admin) decides what to retry.
 */
export interface LlmProvider {
  readonly info: ProviderInfo;
  generateObject<T>(req: LlmRequest<T>): Promise<LlmResult<T>>;
}
