import { z } from 'zod';
import { loadConfig } from '../../config/app-config';
import { lessonsForProjectSchema } from '../schemas/lessons.schema';
import { AnthropicLlmProvider } from './anthropic.provider';
import { createLlmProvider } from './llm-provider.factory';
import { modelForStage } from './model-for-stage';
import { isJsonSchemaUnsupported, OpenAiCompatibleLlmProvider } from './openai-compatible.provider';
import { SampleLlmProvider } from './sample/sample.provider';
import { tagHeaders } from './tag-headers';
import { describeSchema, toWireSchema } from './wire-schema';
import { APICallError } from 'ai';

describe('createLlmProvider', () => {
  it('builds the adapter LLM_PROVIDER names', () => {
    expect(createLlmProvider(loadConfig({}))).toBeInstanceOf(SampleLlmProvider);
    expect(
      createLlmProvider(
        loadConfig({
          LLM_PROVIDER: 'openai-compatible',
          LLM_BASE_URL: 'http://127.0.0.1:1234/v1',
          LLM_MODEL: 'm',
        }),
      ),
    ).toBeInstanceOf(OpenAiCompatibleLlmProvider);
    expect(
      createLlmProvider(loadConfig({ LLM_PROVIDER: 'anthropic', LLM_API_KEY: 'key-1234', LLM_MODEL: 'm' })),
    ).toBeInstanceOf(AnthropicLlmProvider);
  });
});

describe('modelForStage', () => {
  it('uses LLM_MODEL_<STAGE> when set, else LLM_MODEL', () => {
    const config = loadConfig({ LLM_PROVIDER: 'anthropic', LLM_MODEL: 'base', LLM_MODEL_TASKS: 'small' });
    expect(modelForStage(config, 'outline')).toBe('base');
    expect(modelForStage(config, 'lessons')).toBe('base');
    expect(modelForStage(config, 'tasks')).toBe('small');
  });
});

describe('tagHeaders', () => {
  it('turns tags into x-courseloom-* headers, made safe', () => {
    expect(
      tagHeaders({ step: 'lessons:abc', Job_ID: 'j1', course: 'c\u00e9\n1', '': 'x', long: 'y'.repeat(300) }),
    ).toEqual({
      'x-courseloom-step': 'lessons:abc',
      'x-courseloom-job-id': 'j1',
      'x-courseloom-course': 'c 1',
      'x-courseloom-long': 'y'.repeat(200),
    });
    expect(tagHeaders(undefined)).toEqual({});
  });
});

describe('wire schema', () => {
  const schema = lessonsForProjectSchema(2);

  it('keeps counts, types and enums for the provider, leaves string lengths to the prompt', () => {
    const wire = JSON.stringify(describeSchema(schema));
    expect(wire).toContain('maxLength');
    const sent = toWireSchema(schema).jsonSchema as {
      properties: { lessons: { minItems: number; maxItems: number } };
    };
    expect(JSON.stringify(sent)).not.toMatch(/maxLength|minLength|\$schema/);
    expect(sent.properties.lessons).toMatchObject({ minItems: 2, maxItems: 2 });
  });

  it('validates with the full zod schema', async () => {
    const wire = toWireSchema(z.object({ title: z.string().max(5) }));
    const ok = await wire.validate!({ title: 'short' });
    const bad = await wire.validate!({ title: 'far too long' });
    expect(ok).toEqual({ success: true, value: { title: 'short' } });
    expect(bad.success).toBe(false);
  });
});

describe('isJsonSchemaUnsupported', () => {
  const err = (statusCode: number, responseBody: string) =>
    new APICallError({ message: 'Bad Request', url: 'u', requestBodyValues: {}, statusCode, responseBody });

  it('recognises servers that refuse response_format json_schema, and nothing else', () => {
    expect(
      isJsonSchemaUnsupported(
        err(400, '{"error":{"message":"response_format json_schema is not supported"}}'),
      ),
    ).toBe(true);
    expect(
      isJsonSchemaUnsupported(err(422, '{"detail":"structured output not available for this model"}')),
    ).toBe(true);
    expect(isJsonSchemaUnsupported(err(400, '{"error":{"message":"max_tokens is too large"}}'))).toBe(false);
    expect(isJsonSchemaUnsupported(err(500, 'response_format'))).toBe(false);
    expect(isJsonSchemaUnsupported(new Error('response_format'))).toBe(false);
  });
});
