import { APICallError, JSONParseError, NoContentGeneratedError, TypeValidationError } from 'ai';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { CallDeadline } from '../call-deadline';
import type { LlmRequest, LlmResult } from '../llm-provider';
import { stripNulCharacters } from './strip-nul';
import { tagHeaders } from './tag-headers';
import { toWireSchema } from './wire-schema';

/** How the answer's shape is asked for: `json_schema` (enforced by the server), or `json_object` (schema in the prompt). */
export type ResponseMode = 'json_schema' | 'json_object';

/**
 * One structured-output call of an OpenAI-compatible chat-completions endpoint through the official `openai` package —
 * about half the CPU of the same call through the AI SDK (docs/models.md, "Performance"; bench/README.md). No SDK
 * retries (the queue's step attempts are the one retry layer), the deadline's signal, the request's tags as headers.
 *
 * Failures are thrown as the AI SDK's error types (`APICallError`, `JSONParseError`, `TypeValidationError` …), so one
 * classifier (`classifyLlmError`) serves every provider.
 */
export async function generateWithOpenAi<T>(
  client: OpenAI,
  req: LlmRequest<T>,
  opts: {
    mode: ResponseMode;
    system: string;
    deadline: CallDeadline;
    requestedModel: string;
    startedAt: number;
  },
): Promise<LlmResult<T>> {
  const wire = toWireSchema(req.schema);
  const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
    model: opts.requestedModel,
    messages: [
      { role: 'system', content: opts.system },
      { role: 'user', content: req.prompt },
    ],
    response_format:
      opts.mode === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: {
              name: req.schemaName,
              schema: wire.jsonSchema as Record<string, unknown>,
              strict: true,
            },
          }
        : { type: 'json_object' },
  };
  let completion: OpenAI.ChatCompletion;
  try {
    completion = await client.chat.completions.create(body, {
      signal: opts.deadline.signal,
      headers: tagHeaders(req.tags),
    });
  } catch (err) {
    throw asSdkError(err, client.baseURL);
  }
  const choice = completion.choices?.[0];
  const text = choice?.message?.content;
  if (!text) {
    throw new NoContentGeneratedError({
      message: `No content in the answer (finish reason: ${choice?.finish_reason ?? 'none'})`,
    });
  }
  const json = opts.mode === 'json_object' ? withoutFences(text) : text;
  let value: unknown;
  try {
    value = JSON.parse(json.includes('\u0000') ? json.replaceAll('\u0000', '') : json);
  } catch (cause) {
    throw new JSONParseError({ text: json, cause });
  }
  const checked = await wire.validate!(stripNulCharacters(value));
  if (!checked.success) throw new TypeValidationError({ value, cause: checked.error });
  return {
    object: checked.value,
    usage: {
      prompt_tokens: completion.usage?.prompt_tokens ?? 0,
      completion_tokens: completion.usage?.completion_tokens ?? 0,
      // OpenAI and compatible servers report the cached prefix here (docs/costs.md, "Cached tokens").
      cached_prompt_tokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    },
    model: completion.model || opts.requestedModel,
    duration_ms: Math.round(performance.now() - opts.startedAt),
  };
}

/** A JSON-mode answer wrapped in a Markdown code fence (some servers do that): the JSON inside. */
function withoutFences(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  return fenced ? fenced[1] : trimmed;
}

/**
 * The package's errors as the AI SDK's: an HTTP answer becomes an `APICallError` with its status, headers (for
 * Retry-After) and body; a connection failure its cause (the fetch error, classified as a network error); an abort
 * is rethrown as it is (the caller's or the deadline's signal decides what it means).
 */
function asSdkError(err: unknown, url: string): unknown {
  if (err instanceof APIUserAbortError) return err;
  // Only a 2xx answer's body is parsed as a completion: one that is not JSON fails here. (By name: fetch's errors
  // may come from another realm.)
  if ((err as Error | null)?.name === 'SyntaxError') {
    return new APICallError({
      message: `Invalid JSON response: ${(err as Error).message}`,
      url,
      requestBodyValues: {},
      statusCode: 200,
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) return err.cause ?? err;
  if (err instanceof APIError && err.status !== undefined) {
    const headers: Record<string, string> = {};
    (err.headers as Headers | undefined)?.forEach((value: string, key: string) => {
      headers[key] = value;
    });
    return new APICallError({
      message: err.message,
      url,
      requestBodyValues: {},
      statusCode: err.status,
      responseHeaders: headers,
      responseBody: JSON.stringify(err.error === undefined ? { message: err.message } : { error: err.error }),
      cause: err,
    });
  }
  return err;
}
