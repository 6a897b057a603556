import { Test } from '@nestjs/testing';
import { InvalidInputError } from '../../common/domain-error';
import { AppConfig, loadConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { GenerationInfoService } from '../generation-info.service';
import { GenerationModule } from '../generation.module';
import { LLM_PROVIDER } from '../generation.constants';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm-provider';
import type { CourseContext } from '../prompts/prompt-context';
import { PriceTable } from '../../pricing/price-table';
import { SampleLlmProvider } from '../providers/sample/sample.provider';
import { LessonGenerator } from './lesson.generator';
import { OutlineGenerator } from './outline.generator';
import { TaskGenerator } from './task.generator';

/** Records requests and answers with what the test says. */
class StubProvider implements LlmProvider {
  readonly info = { name: 'stub', model: 'stub-1', sample: false };
  readonly requests: LlmRequest<unknown>[] = [];
  constructor(private readonly answer: (req: LlmRequest<unknown>) => unknown) {}
  async generateObject<T>(req: LlmRequest<T>): Promise<LlmResult<T>> {
    this.requests.push(req as LlmRequest<unknown>);
    return {
      object: req.schema.parse(this.answer(req as LlmRequest<unknown>)),
      usage: { prompt_tokens: 10, completion_tokens: 20 },
      model: 'stub-1',
      duration_ms: 5,
    };
  }
}

/** The stub's model at 1 and 2 USD per million input and output tokens. */
const stubPrices = new PriceTable(
  loadConfig({
    LLM_PROVIDER: 'openai-compatible',
    LLM_BASE_URL: 'https://models.example/v1',
    LLM_MODEL: 'stub-1',
    LLM_PRICES: 'stub-1=1/2',
  }),
);

const course: CourseContext = {
  title: 'Beekeeping Basics',
  description: 'Keep a healthy hive.',
  topic: 'Beekeeping',
  audience: 'hobbyists',
  level: 'beginner',
  language: 'English',
};

const lesson = (i: number) => ({
  title: `Lesson about frames ${i}`,
  summary: 'A summary long enough.',
  content: '## Frames\n\n' + 'Frames hold the comb. '.repeat(10),
  estimated_minutes: 20,
});
const task = (i: number) => ({
  title: `Task on frames ${i}`,
  instructions: 'Inspect a frame and describe it.',
  kind: 'exercise',
  estimated_minutes: 15,
});

describe('generators', () => {
  it('OutlineGenerator: defaults (3 proposals × 5 projects, language en), the outline step tag, usage and prompt id', async () => {
    const sample = new SampleLlmProvider(loadConfig({ SAMPLE_LATENCY_MS: '0' }));
    const seen: LlmRequest<unknown>[] = [];
    const spy: LlmProvider = {
      info: sample.info,
      generateObject: (req) => (seen.push(req as LlmRequest<unknown>), sample.generateObject(req)),
    };
    const result = await new OutlineGenerator(spy, stubPrices).propose({ topic: '  Beekeeping  ' });
    expect(result.items).toHaveLength(3);
    for (const o of result.items) expect(o.projects).toHaveLength(5);
    expect(result).toMatchObject({ model: 'sample-v1', prompt_id: 'outline@1' });
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    const [req] = seen;
    expect(req.stage).toBe('outline');
    expect(req.context).toMatchObject({
      topic: 'Beekeeping',
      language: 'en',
      proposals: 3,
      project_count: 5,
      level: null,
    });
    expect(req.tags).toEqual({
      stage: 'outline',
      step: 'outline',
      prompt: 'outline@1',
      count: '3',
      'project-count': '5',
    });
  });

  it('OutlineGenerator rejects a blank topic and counts out of bounds', async () => {
    const stub = new StubProvider(() => ({}));
    const gen = new OutlineGenerator(stub, stubPrices);
    await expect(gen.propose({ topic: '   ' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(gen.propose({ topic: 'x', project_count: 13 })).rejects.toThrow(
      'project_count must be a whole number from 1 to 12',
    );
    await expect(gen.propose({ topic: 'x', proposals: 0 })).rejects.toThrow(/proposals/);
    await expect(gen.propose({ topic: 'x', proposals: 2.5 })).rejects.toThrow(/proposals/);
    expect(stub.requests).toHaveLength(0);
  });

  it('LessonGenerator: default 3 lessons, exact count enforced by the schema, caller tags kept, own tags win', async () => {
    const stub = new StubProvider((req) => ({
      lessons: [0, 1, 2].map(lesson).slice(0, Number(req.tags?.count)),
    }));
    const gen = new LessonGenerator(stub, stubPrices);
    const signal = new AbortController().signal;
    const out = await gen.generate(
      {
        course,
        project: { title: 'Frames', description: 'd', objectives: ['o'] },
        sibling_projects: ['Frames'],
      },
      signal,
      { course: 'c1', job: 'j1', step: 'lessons:p1', stage: 'spoofed' },
    );
    expect(out.items).toHaveLength(3);
    expect(out).toMatchObject({
      usage: { prompt_tokens: 10, completion_tokens: 20 },
      model: 'stub-1',
      prompt_id: 'lessons@3',
      cost_usd: 0.00005, // (10 × 1 + 20 × 2) / 1e6, priced when the call returned
    });
    const [req] = stub.requests;
    expect(req.signal).toBe(signal);
    expect(req.schemaName).toBe('lessons_for_project');
    expect(req.tags).toEqual({
      course: 'c1',
      job: 'j1',
      step: 'lessons:p1',
      stage: 'lessons',
      prompt: 'lessons@3',
      count: '3',
    });
    expect(req.context).toMatchObject({ stage: 'lessons', existing_lessons: [], lesson_count: 3 });
    expect(req.schema.safeParse({ lessons: [lesson(0), lesson(1)] }).success).toBe(false);
    expect(req.schema.safeParse({ lessons: [lesson(0), lesson(0), lesson(1)] }).success).toBe(false); // duplicate titles
    await expect(
      gen.generate({
        course,
        project: { title: 'F', description: 'd', objectives: [] },
        sibling_projects: [],
        lesson_count: 9,
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('TaskGenerator: count from the request, tags, and the same schema guard', async () => {
    const stub = new StubProvider((req) => ({
      tasks: Array.from({ length: Number(req.tags?.count) }, (_, i) => task(i)),
    }));
    const out = await new TaskGenerator(stub, stubPrices).generate(
      {
        course,
        project: { title: 'Frames', description: 'd' },
        lesson: { title: 'Reading frames', summary: 's' },
        sibling_lessons: [],
        task_count: 5,
      },
      undefined,
      { step: 'tasks:l1' },
    );
    expect(out.items).toHaveLength(5);
    expect(stub.requests[0].tags).toEqual({
      step: 'tasks:l1',
      stage: 'tasks',
      prompt: 'tasks@3',
      count: '5',
    });
    expect(
      stub.requests[0].schema.safeParse({ tasks: [task(0), { ...task(1), kind: 'essay' }] }).success,
    ).toBe(false);
  });
});

describe('GenerationModule', () => {
  const moduleFor = async (env: Record<string, string>) =>
    Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig(env)), GenerationModule],
    }).compile();

  it('provides the sample provider by default, the generators and the provider info', async () => {
    const moduleRef = await moduleFor({});
    expect(moduleRef.get(LLM_PROVIDER)).toBeInstanceOf(SampleLlmProvider);
    expect(moduleRef.get(GenerationInfoService).provider).toEqual({
      name: 'sample',
      model: 'sample-v1',
      sample: true,
    });
    expect(moduleRef.get(OutlineGenerator)).toBeInstanceOf(OutlineGenerator);
    expect(moduleRef.get(LessonGenerator)).toBeInstanceOf(LessonGenerator);
    expect(moduleRef.get(TaskGenerator)).toBeInstanceOf(TaskGenerator);
    expect(moduleRef.get(AppConfig).LLM_PROVIDER).toBe('sample');
  });

  it('chooses the adapter LLM_PROVIDER names', async () => {
    const openai = await moduleFor({
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: 'http://localhost:11434/v1',
      LLM_MODEL: 'llama3.1',
    });
    expect(openai.get(GenerationInfoService).provider).toEqual({
      name: 'openai-compatible',
      model: 'llama3.1',
      sample: false,
    });
    const anthropic = await moduleFor({
      LLM_PROVIDER: 'anthropic',
      LLM_API_KEY: 'k-123456',
      LLM_MODEL: 'claude-sonnet-4-5',
    });
    expect(anthropic.get(GenerationInfoService).provider).toEqual({
      name: 'anthropic',
      model: 'claude-sonnet-4-5',
      sample: false,
    });
  });
});
