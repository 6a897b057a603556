import type { ResponseObject, SchemaObject } from '@nestjs/swagger';

/**
 * The error bodies of server/src/http/http-error.filter.ts, one schema per shape: `{statusCode, message, error,
 * request_id, ...details}` (`ApiError` of contracts/api.ts), the 400 of validation with its `message` list, and the
 * 502/503 of a model provider's failure (docs/openapi.md, "Errors").
 */
export const ERROR_SCHEMAS: Record<string, SchemaObject> = {
  ValidationError: {
    description:
      'A 400: `message` lists every invalid field (the ValidationPipe), or is one sentence for a rule the ' +
      'service checked (e.g. an outline upload names the bad line).',
    allOf: [
      { $ref: '#/components/schemas/ApiError' },
      {
        type: 'object',
        properties: {
          statusCode: { enum: [400] },
          message: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
          error: { enum: ['Bad Request'] },
        },
      },
    ],
  },
  ProviderError: {
    description:
      'A model provider failed during a synchronous call: 502, or 503 with Retry-After when rate limited.',
    allOf: [
      { $ref: '#/components/schemas/ApiError' },
      {
        type: 'object',
        properties: {
          kind: {
            type: 'string',
            description: 'rate_limited, transient, invalid_output, permanent, aborted',
          },
          provider: { type: 'string' },
          retry_after_seconds: { type: 'integer' },
        },
      },
    ],
  },
};

const error = (description: string, schema = 'ApiError'): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
};

export const ERROR_RESPONSES = {
  400: error('Invalid request: `message` lists every invalid field', 'ValidationError'),
  401: error('No valid session cookie, session token or API key'),
  402: error("The organization's monthly budget or the job's cost cap is used up (docs/costs.md)"),
  403: error("The caller's role may not do this"),
  404: error("Not found in the caller's organization (another organization's ids too)"),
  409: error('Conflicts with the current state (e.g. the course has an active job); `message` says why'),
  413: error('The body is larger than BODY_LIMIT (or the upload than UPLOAD_MAX_BYTES)'),
  429: { ...error('Too many requests; wait for Retry-After'), headers: RETRY_AFTER },
  502: error('The model provider failed', 'ProviderError'),
  503: {
    ...error('The model provider rate-limited us, or PostgreSQL/Redis is unavailable', 'ProviderError'),
  },
} satisfies Record<number, ResponseObject>;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;
