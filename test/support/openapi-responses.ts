import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the checks read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: unknown;
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }
  >;
}

const ptr = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Validates real responses against the document's own schemas: Ajv with JSON Schema 2020-12 (OpenAPI 3.1's
 * dialect) and ajv-formats, compiling the schema the document gives for that route and status.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, 'openapi');
  }

  /**
   * Throws, naming the route and every mismatch, unless `status` is documented for `method path` and `body`
   * matches its JSON schema. `path` is the document's template (`/api/…/{id}`).
   */
  check(
    method: string,
    path: string,
    res: { status: number; body: unknown; headers: Record<string, unknown> },
  ): void {
    const route = `${method.toUpperCase()} ${path}`;
    const op = this.document.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${route} is not in the document`);
    const response = op.responses[String(res.status)];
    if (!response) throw new Error(`${route} answered ${res.status}, which the document does not list`);
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0];
    if (!response.content) {
      if (res.body !== undefined && res.body !== '' && Object.keys(res.body ?? {}).length > 0)
        throw new Error(`${route} ${res.status}: the document says no body, got ${JSON.stringify(res.body)}`);
      return;
    }
    if (!response.content[contentType])
      throw new Error(`${route} ${res.status}: content type ${contentType} is not documented`);
    const ref = `openapi#/paths/${ptr(path)}/${method.toLowerCase()}/responses/${res.status}/content/${ptr(contentType)}/schema`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (!validate(res.body)) {
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      );
      throw new Error(`${route} ${res.status} does not match the document:\n  ${errors.join('\n  ')}`);
    }
  }
}
