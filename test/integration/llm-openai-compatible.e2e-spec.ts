import { Logger } from '@nestjs/common';
import { loadConfig } from '../../server/src/config/app-config';
import { LessonGenerator } from '../../server/src/generation/generators/lesson.generator';
import { OutlineGenerator } from '../../server/src/generation/generators/outline.generator';
import { TaskGenerator } from '../../server/src/generation/generators/task.generator';
import { LlmError } from '../../server/src/generation/llm-error';
import type { LlmRequest } from '../../server/src/generation/llm-provider';
import { lessonsPrompt } from '../../server/src/generation/prompts/lessons.prompt';
import type { LessonsContext } from '../../server/src/generation/prompts/prompt-context';
import { OpenAiCompatibleLlmProvider } from '../../server/src/generation/providers/openai-compatible.provider';
import { PriceTable } from '../../server/src/pricing/price-table';
import {
  LESSONS_SCHEMA_NAME,
  lessonsForProjectSchema,
} from '../../server/src/generation/schemas/lessons.schema';
import { cannedContent, startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server';
import { waitFor } from '../support/wait-for';

const API_KEY = 'sk-test-4f1d9c0e-never-log-me';

const lessonsContext: LessonsContext = {
  stage: 'lessons',
  course: {
    title: 'Practical SQL',
    description: 'Querying real data with SQL.',
    topic: 'SQL for analysts',
    audience: 'analysts',
    level: 'beginner',
    language: 'English',
  },
  project: {
    title: 'Joining tables',
    description: 'Combine tables with joins.',
    objectives: ['Write inner joins'],
  },
  sibling_projects: ['Selecting rows', 'Joining tables', 'Grouping'],
  existing_lessons: [],
  lesson_count: 3,
};

describe('openai-compatible adapter against the fake server (real HTTP)', () => {
  let fake: FakeLlmServer;
  let provider: OpenAiCompatibleLlmProvider;

  const makeProvider = (env: Record<string, string> = {}): OpenAiCompatibleLlmProvider =>
    new OpenAiCompatibleLlmProvider(
      loadConfig({
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: fake.url,
        LLM_API_KEY: API_KEY,
        LLM_MODEL: 'fake-chat-1',
        LLM_TIMEOUT_MS: '5000',
        ...env,
      }),
    );

  const lessonsRequest = (overrides: Partial<LlmRequest<unknown>> = {}): LlmRequest<unknown> => ({
    stage: 'lessons',
    schema: lessonsForProjectSchema(3),
    schemaName: LESSONS_SCHEMA_NAME,
    system: lessonsPrompt.system,
    prompt: lessonsPrompt.render(lessonsContext),
    tags: { stage: 'lessons', count: '3', step: 'lessons:p1', job: 'job-1', course: 'course-1' },
    ...overrides,
  });

  const failure = async (promise: Promise<unknown>): Promise<LlmError> => {
    const error = await promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).not.toContain(API_KEY);
    return error as LlmError;
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    fake = await startFakeLlmServer();
  });
  beforeEach(() => {
    fake.reset();
    provider = makeProvider();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('returns the validated object, the usage numbers and the model; sends json_schema, the key and the tags', async () => {
    fake.script({
      usage: { prompt_tokens: 1234, completion_tokens: 567, cached_tokens: 1024 },
      model: 'fake-chat-1-2025',
    });
    const result = await provider.generateObject(lessonsRequest());
    expect((result.object as { lessons: unknown[] }).lessons).toHaveLength(3);
    // The cached prefix as OpenAI reports it (usage.prompt_tokens_details.cached_tokens): docs/costs.md.
    expect(result.usage).toEqual({ prompt_tokens: 1234, completion_tokens: 567, cached_prompt_tokens: 1024 });
    expect(result.model).toBe('fake-chat-1-2025');
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['x-courseloom-step']).toBe('lessons:p1');
    expect(req.headers['x-courseloom-job']).toBe('job-1');
    expect(req.headers['x-courseloom-course']).toBe('course-1');
    expect(req.headers['x-courseloom-stage']).toBe('lessons');
    const body = req.body as {
      model: string;
      response_format: { type: string; json_schema: { name: string } };
    };
    expect(body.model).toBe('fake-chat-1');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe(LESSONS_SCHEMA_NAME);
  });

  it('uses the per-stage model override', async () => {
    provider = makeProvider({ LLM_MODEL_LESSONS: 'fake-big-model' });
    const result = await provider.generateObject(lessonsRequest());
    expect((fake.requests[0].body as { model: string }).model).toBe('fake-big-model');
    expect(result.model).toBe('fake-big-model');
  });

  it('429 with Retry-After → rate_limited with retryAfterMs, and no retry by the SDK', async () => {
    fake.script({ status: 429, retryAfterSeconds: 7 });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/^openai-compatible \(model fake-chat-1\): rate limited \(HTTP 429\)/);
    expect(fake.requests).toHaveLength(1);
  });

  it('500 → transient, once', async () => {
    fake.script({ status: 500 });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(500);
    expect(fake.requests).toHaveLength(1);
  });

  it('a server that never answers + a short timeout → transient (timed out), and the fake sees the hang-up', async () => {
    fake.script({ hang: true });
    const started = Date.now();
    const error = await failure(provider.generateObject(lessonsRequest({ timeoutMs: 300 })));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(3000);
    await waitFor(() => fake.requests[0]?.closedEarly, { what: 'the fake to see the connection closed' });
  });

  it("the caller's abort → aborted, and the fake sees the connection closed", async () => {
    fake.script({ hang: true });
    const controller = new AbortController();
    const call = provider.generateObject(lessonsRequest({ signal: controller.signal }));
    await waitFor(() => fake.requests.length === 1, { what: 'the request to arrive' });
    controller.abort();
    const error = await failure(call);
    expect(error.kind).toBe('aborted');
    await waitFor(() => fake.requests[0].closedEarly, { what: 'the fake to see the connection closed' });
    expect(fake.requests[0].status).toBeUndefined();
  });

  it('an already-aborted signal → aborted without a request', async () => {
    const error = await failure(provider.generateObject(lessonsRequest({ signal: AbortSignal.abort() })));
    expect(error.kind).toBe('aborted');
    expect(fake.requests).toHaveLength(0);
  });

  it('malformed JSON content → invalid_output', async () => {
    fake.script({ malformedJson: true });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('invalid_output');
  });

  it('a body that is not a chat completion → invalid_output', async () => {
    fake.script({ malformedBody: true });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('invalid_output');
  });

  it('JSON that violates the schema → invalid_output naming the field', async () => {
    fake.script({ schemaViolation: true });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('invalid_output');
    expect(error.message).toMatch(/lessons\.0\./);
  });

  it('the wrong number of items → invalid_output', async () => {
    fake.script({ count: 2 });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('invalid_output');
    expect(error.message).toMatch(/lessons/);
  });

  it('a string over its bound (enforced here, not in the wire schema) → invalid_output', async () => {
    const lesson = {
      title: 'x'.repeat(121),
      summary: 'A summary that is long enough.',
      content: 'c'.repeat(100),
      estimated_minutes: 20,
    };
    fake.script({
      content: { lessons: [lesson, { ...lesson, title: 'B title' }, { ...lesson, title: 'C title' }] },
    });
    const error = await failure(provider.generateObject(lessonsRequest()));
    expect(error.kind).toBe('invalid_output');
    expect(error.message).toMatch(/lessons\.0\.title/);
    const wire = JSON.stringify((fake.requests[0].body as { response_format: unknown }).response_format);
    expect(wire).not.toContain('maxLength');
    expect(wire).toContain('"minItems":3');
  });

  it.each([401, 403, 400])(
    '%i → permanent, and the key never appears even when the body echoes it',
    async (status) => {
      fake.script({ status, errorMessage: `Incorrect API key provided: ${API_KEY}` });
      const error = await failure(provider.generateObject(lessonsRequest()));
      expect(error.kind).toBe('permanent');
      expect(error.status).toBe(status);
      expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(API_KEY);
    },
  );

  it('json_schema unsupported → one retry in JSON mode that succeeds; later calls go straight to JSON mode', async () => {
    fake.script({ noJsonSchemaSupport: true });
    const result = await provider.generateObject(lessonsRequest());
    expect((result.object as { lessons: unknown[] }).lessons).toHaveLength(3);
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
    const second = fake.requests[1].body as {
      response_format: { type: string };
      messages: { content: string }[];
    };
    expect(second.response_format).toEqual({ type: 'json_object' });
    expect(second.messages[0].content).toContain('JSON Schema');
    expect(second.messages[0].content).toContain(LESSONS_SCHEMA_NAME);
    expect(provider.usesJsonMode('fake-chat-1')).toBe(true);

    await provider.generateObject(lessonsRequest());
    expect(fake.requests).toHaveLength(3);
    expect((fake.requests[2].body as { response_format: { type: string } }).response_format.type).toBe(
      'json_object',
    );
  });

  it('JSON mode tolerates an answer wrapped in a Markdown fence', async () => {
    fake.script({ noJsonSchemaSupport: true });
    await provider.generateObject(lessonsRequest());
    fake.reset();
    const lessons = cannedContent('lessons', 3);
    fake.script({ content: '```json\n' + JSON.stringify(lessons) + '\n```' });
    const result = await provider.generateObject(lessonsRequest());
    expect((result.object as { lessons: unknown[] }).lessons).toHaveLength(3);
  });

  it('network failure (nothing listening) → transient', async () => {
    const dead = await startFakeLlmServer();
    const url = dead.url;
    await dead.close();
    const offline = makeProvider({ LLM_BASE_URL: url });
    const error = await failure(offline.generateObject(lessonsRequest()));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/network error/);
  });

  describe('the generators over the wire', () => {
    it('outline → lessons → tasks send their stage, prompt id, counts and the caller tags', async () => {
      const outlines = await new OutlineGenerator(provider, new PriceTable(loadConfig({}))).propose({
        topic: 'SQL for analysts',
        proposals: 2,
        project_count: 4,
      });
      expect(outlines.items).toHaveLength(2);
      expect(outlines.items[0].projects).toHaveLength(4);
      expect(outlines.prompt_id).toBe('outline@1');

      const lessons = await new LessonGenerator(provider, new PriceTable(loadConfig({}))).generate(
        { ...lessonsContext, lesson_count: 2 },
        undefined,
        { course: 'c-9', job: 'j-9', step: 'lessons:p-9' },
      );
      expect(lessons.items).toHaveLength(2);
      expect(lessons.usage.prompt_tokens).toBeGreaterThan(0);

      const tasks = await new TaskGenerator(provider, new PriceTable(loadConfig({}))).generate(
        {
          course: lessonsContext.course,
          project: lessonsContext.project,
          lesson: { title: lessons.items[0].title, summary: lessons.items[0].summary },
          sibling_lessons: lessons.items.map((l) => l.title),
          task_count: 4,
        },
        undefined,
        { course: 'c-9', job: 'j-9', step: 'tasks:l-9' },
      );
      expect(tasks.items).toHaveLength(4);

      const [o, l, t] = fake.requests.map((r) => r.headers);
      expect(o).toMatchObject({
        'x-courseloom-stage': 'outline',
        'x-courseloom-step': 'outline',
        'x-courseloom-prompt': 'outline@1',
        'x-courseloom-count': '2',
        'x-courseloom-project-count': '4',
      });
      expect(l).toMatchObject({
        'x-courseloom-stage': 'lessons',
        'x-courseloom-prompt': 'lessons@3',
        'x-courseloom-count': '2',
        'x-courseloom-course': 'c-9',
        'x-courseloom-job': 'j-9',
        'x-courseloom-step': 'lessons:p-9',
      });
      expect(t).toMatchObject({
        'x-courseloom-stage': 'tasks',
        'x-courseloom-count': '4',
        'x-courseloom-step': 'tasks:l-9',
      });
      expect(fake.requestsMatching({ job: 'j-9' })).toHaveLength(2);
    });
  });
});
