import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { LlmError } from '../llm-error';
import type { LlmRequest } from '../llm-provider';
import { TASKS_SCHEMA_NAME, tasksForLessonSchema } from '../schemas/tasks.schema';
import { AnthropicLlmProvider } from './anthropic.provider';

const KEY = 'sk-ant-api03-do-not-leak-0123456789';

const tasks = {
  tasks: [
    {
      title: 'Warm-up quiz',
      instructions: 'Answer the three questions below in your own words.',
      kind: 'quiz',
      estimated_minutes: 10,
    },
    {
      title: 'Build it',
      instructions: 'Build the small example from the lesson, step by step.',
      kind: 'exercise',
      estimated_minutes: 30,
    },
  ],
};

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: { model: string; tools?: { name: string }[] };
}

/** A stand-in for Anthropic's Messages API, behind the SDK's `fetch` option: no network. */
function fakeFetch(
  respond: (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  const calls: Seen[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    init?.signal?.throwIfAborted();
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const seen: Seen = { url: String(input), headers, body: JSON.parse(String(init?.body)) };
    calls.push(seen);
    const { status, body, headers: extra } = respond(seen);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...extra },
    });
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

/** A successful answer in whichever structured-output mode the SDK chose (JSON tool or native output format). */
function messageWith(object: unknown, seen: Seen) {
  const viaTool = seen.body.tools?.some((t) => t.name === 'json');
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: 'claude-fake-20250101',
    content: viaTool
      ? [{ type: 'tool_use', id: 'toolu_1', name: 'json', input: object }]
      : [{ type: 'text', text: JSON.stringify(object) }],
    stop_reason: viaTool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 321, output_tokens: 123 },
  };
}

const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

const config = () =>
  loadConfig({
    LLM_PROVIDER: 'anthropic',
    LLM_API_KEY: KEY,
    LLM_MODEL: 'claude-sonnet-4-5',
    LLM_BASE_URL: 'http://anthropic.fake/v1',
  });

const request = (overrides: Partial<LlmRequest<unknown>> = {}): LlmRequest<unknown> => ({
  stage: 'tasks',
  schema: tasksForLessonSchema(2),
  schemaName: TASKS_SCHEMA_NAME,
  system: 'You write tasks.',
  prompt: 'Write exactly 2 tasks.',
  tags: { step: 'tasks:l1', job: 'j1' },
  ...overrides,
});

describe('AnthropicLlmProvider (SDK adapter, no network)', () => {
  const logged: unknown[] = [];
  beforeAll(() => {
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args));
    }
  });
  afterAll(() => jest.restoreAllMocks());

  it('is constructed from config and names itself; it requires a key', () => {
    expect(new AnthropicLlmProvider(config()).info).toEqual({
      name: 'anthropic',
      model: 'claude-sonnet-4-5',
      sample: false,
    });
    expect(
      () => new AnthropicLlmProvider(loadConfig({ LLM_PROVIDER: 'anthropic', LLM_MODEL: 'claude-x' })),
    ).toThrow(/LLM_API_KEY is required/);
  });

  it('returns the validated object, usage and model; sends the key, the base URL and the tags', async () => {
    const fake = fakeFetch((seen) => ({ status: 200, body: messageWith(tasks, seen) }));
    const result = await new AnthropicLlmProvider(config(), { fetch: fake.fetch }).generateObject(request());
    expect(result.object).toEqual(tasks);
    expect(result.usage).toEqual({
      prompt_tokens: 321,
      completion_tokens: 123,
      cached_prompt_tokens: 0,
      cache_write_tokens: 0,
    });
    expect(result.model).toBe('claude-fake-20250101');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].url).toBe('http://anthropic.fake/v1/messages');
    expect(fake.calls[0].headers['x-api-key']).toBe(KEY);
    expect(fake.calls[0].headers['x-courseloom-step']).toBe('tasks:l1');
    expect(fake.calls[0].headers['x-courseloom-job']).toBe('j1');
    expect(fake.calls[0].body.model).toBe('claude-sonnet-4-5');
  });

  it('429 with retry-after → rate_limited with retryAfterMs, one request (the SDK does not retry)', async () => {
    const fake = fakeFetch(() => ({
      status: 429,
      body: anthropicError(
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit',
      ),
      headers: { 'retry-after': '20' },
    }));
    const error = (await new AnthropicLlmProvider(config(), { fetch: fake.fetch })
      .generateObject(request())
      .catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 20_000,
      provider: 'anthropic',
    });
    expect(fake.calls).toHaveLength(1);
  });

  it.each([
    [529, 'overloaded_error', 'transient'],
    [500, 'api_error', 'transient'],
    [400, 'invalid_request_error', 'permanent'],
    [403, 'permission_error', 'permanent'],
  ])('%i %s → %s', async (status, type, kind) => {
    const fake = fakeFetch(() => ({ status, body: anthropicError(type, `fake ${type}`) }));
    const error = await new AnthropicLlmProvider(config(), { fetch: fake.fetch })
      .generateObject(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, status });
    expect((error as Error).message).toContain(`fake ${type}`);
  });

  it('401 echoing the key → permanent; the key is in no message and no log line', async () => {
    logged.length = 0;
    const fake = fakeFetch(() => ({
      status: 401,
      body: anthropicError('authentication_error', `invalid x-api-key ${KEY}`),
    }));
    const error = (await new AnthropicLlmProvider(config(), { fetch: fake.fetch })
      .generateObject(request())
      .catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('permanent');
    expect(error.message).toMatch(
      /^anthropic \(model claude-sonnet-4-5\): request rejected \(HTTP 401\): invalid x-api-key \[redacted\]/,
    );
    expect(error.message).not.toContain(KEY);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(KEY);
  });

  it('output that breaks the schema → invalid_output', async () => {
    const fake = fakeFetch((seen) => ({ status: 200, body: messageWith({ tasks: [tasks.tasks[0]] }, seen) }));
    const error = await new AnthropicLlmProvider(config(), { fetch: fake.fetch })
      .generateObject(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_output' });
  });

  it("the caller's abort → aborted", async () => {
    const fake = fakeFetch((seen) => ({ status: 200, body: messageWith(tasks, seen) }));
    const error = await new AnthropicLlmProvider(config(), { fetch: fake.fetch })
      .generateObject(request({ signal: AbortSignal.abort() }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'aborted' });
    expect(fake.calls).toHaveLength(0);
  });
});
