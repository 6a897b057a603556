import { Logger } from '@nestjs/common';
import { APICallError } from 'ai';
import OpenAI from 'openai';
import type { ProviderInfo } from '../../../../contracts/api';
import type { AppConfig } from '../../config/app-config';
import type { CallDeadline } from '../call-deadline';
import type { LlmRequest, LlmResult } from '../llm-provider';
import { HttpLlmProvider } from './http-llm-provider';
import { generateWithOpenAi } from './openai-chat-call';
import { describeSchema } from './wire-schema';

export const OPENAI_COMPATIBLE = 'openai-compatible';

/** A 400/422 whose body says the server does not take `response_format` json_schema. */
export function isJsonSchemaUnsupported(error: unknown): boolean {
  return (
    APICallError.isInstance(error) &&
    (error.statusCode === 400 || error.statusCode === 422) &&
    /response_format|json_schema|structured output/i.test(`${error.responseBody ?? ''} ${error.message}`)
  );
}

/** The system prompt in JSON mode: the schema the answer must follow, since the server does not enforce it. */
export function jsonModeSystem(system: string, req: LlmRequest<unknown>): string {
  return [
    system,
    '',
    'Respond with one JSON object only: no Markdown fences, no text before or after it.',
    `It must validate against this JSON Schema (named "${req.schemaName}"):`,
    JSON.stringify(describeSchema(req.schema)),
  ].join('\n');
}

/**
 * Any OpenAI-style chat-completions endpoint (OpenAI, Ollama, vLLM, LM Studio, OpenRouter, Groq …).
 * Asks for `response_format: json_schema`; a server that answers 400 "json_schema unsupported" is asked again,
 * once, in JSON mode (`json_object`, the schema described in the prompt), and remembered per process and model
 * so later calls go straight to JSON mode. Either way the answer is validated against the full zod schema here.
 */
export class OpenAiCompatibleLlmProvider extends HttpLlmProvider {
  readonly info: ProviderInfo;
  protected readonly logger = new Logger(OpenAiCompatibleLlmProvider.name);
  private readonly client: OpenAI;
  /** Models for which this server refused json_schema: JSON mode from then on. */
  private readonly withoutJsonSchema = new Set<string>();

  constructor(config: AppConfig, options: { fetch?: typeof fetch } = {}) {
    super(config);
    if (!config.LLM_BASE_URL) throw new Error('LLM_BASE_URL is required when LLM_PROVIDER=openai-compatible');
    this.client = new OpenAI({
      baseURL: config.LLM_BASE_URL,
      // Servers without keys (Ollama, vLLM …) take any: the package insists on one.
      apiKey: config.LLM_API_KEY || 'none',
      maxRetries: 0, // the queue's step attempts are the one retry layer
      timeout: 2_147_483_647, // the call's deadline (LLM_TIMEOUT_MS) is the one timeout
      fetch: options.fetch,
    });
    this.info = { name: OPENAI_COMPATIBLE, model: config.LLM_MODEL ?? '', sample: false };
  }

  /** True once the server has refused json_schema for `modelId` in this process. */
  usesJsonMode(modelId: string): boolean {
    return this.withoutJsonSchema.has(modelId);
  }

  protected async attempt<T>(
    req: LlmRequest<T>,
    modelId: string,
    deadline: CallDeadline,
    startedAt: number,
  ): Promise<LlmResult<T>> {
    const opts = { deadline, requestedModel: modelId, startedAt };
    if (!this.withoutJsonSchema.has(modelId)) {
      try {
        return await generateWithOpenAi(this.client, req, {
          ...opts,
          mode: 'json_schema',
          system: req.system,
        });
      } catch (err) {
        if (!isJsonSchemaUnsupported(err)) throw err;
        this.withoutJsonSchema.add(modelId);
        this.logger.warn({
          msg: 'The server does not support response_format json_schema; using JSON mode for this model from now on',
          model: modelId,
          stage: req.stage,
        });
      }
    }
    return generateWithOpenAi(this.client, req, {
      ...opts,
      mode: 'json_object',
      system: jsonModeSystem(req.system, req as LlmRequest<unknown>),
    });
  }
}
