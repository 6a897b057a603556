import { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ResponseObject,
  SchemaObject,
  SecurityRequirementObject,
  SwaggerModule,
} from '@nestjs/swagger';
import type { UserRole } from '../../../contracts/api';
import { DEFAULT_ROLES, IS_PUBLIC_KEY, ROLES_KEY } from '../accounts/auth/auth.decorators';
import { SESSION_COOKIE_NAME } from '../accounts/auth/session-cookie';
import { API_PREFIX } from '../http/paths';
import { loadContractSchemas, productVersion } from './contract-schemas';
import { ERROR_RESPONSES, ERROR_SCHEMAS, ErrorStatus } from './error-responses';

/** Alternatives: any one of them authenticates a request (docs/openapi.md, "Security schemes"). */
const SECURITY: SecurityRequirementObject[] = [
  { session_cookie: [] },
  { bearer_session: [] },
  { api_key: [] },
];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The OpenAPI 3.1 document of everything under /api, built from the code: routes and DTOs by @nestjs/swagger and
 * its CLI plugin (nest-cli.json), response bodies from contracts/api.ts, errors and security from each route's
 * shape and guards (docs/openapi.md).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Courseloom API')
    .setVersion(productVersion())
    .setDescription(
      'Courses written by a language model in the background. Every route is scoped to the caller’s ' +
        'organization; errors share one body (`ApiError`). Guide: README "Integrating" and docs/openapi.md.',
    )
    .addCookieAuth(
      SESSION_COOKIE_NAME,
      { type: 'apiKey', in: 'cookie', description: 'The console’s session, set by POST /api/auth/login' },
      'session_cookie',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The `access_token` of POST /api/auth/login' },
      'bearer_session',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'clk_…',
        description: 'An API key (`Authorization: Bearer clk_…`), acting as its organization with its role',
      },
      'api_key',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Only the API: health, metrics, Bull Board and the console live outside /api and are described in docs/.
  for (const path of Object.keys(document.paths))
    if (!path.startsWith(`/${API_PREFIX}/`)) delete document.paths[path];
  document.components = {
    ...document.components,
    schemas: { ...loadContractSchemas(), ...ERROR_SCHEMAS, ...document.components?.schemas },
  };
  addConventions(document, routeFacts(app));
  toOpenApi31(document);
  return document;
}

interface RouteFacts {
  isPublic: boolean;
  roles: readonly UserRole[];
}

/** Guards' metadata of every handler, by the swagger plugin's default operationId `Controller_method`. */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = app.get(Reflector);
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Type | null;
      if (!type) continue;
      const proto = type.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const handler = proto[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const targets = [handler, type];
        facts.set(`${type.name}_${key}`, {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false,
          roles: reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets) ?? DEFAULT_ROLES,
        });
      }
    }
  }
  return facts;
}

/** Security and the errors every route of its shape can answer, next to those its decorators declared. */
function addConventions(document: OpenAPIObject, facts: Map<string, RouteFacts>): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const fact = facts.get(op.operationId ?? '');
      const add = (status: ErrorStatus): void => {
        op.responses[status] ??= ERROR_RESPONSES[status];
      };
      // A query parameter with a default may be left out (the DTO's initializer), whatever the plugin inferred.
      for (const param of op.parameters ?? [])
        if ('in' in param && param.in === 'query' && param.schema && 'default' in param.schema)
          param.required = false;
      if (op.parameters?.length || op.requestBody) add(400);
      if (fact?.isPublic) op.security = [];
      else {
        op.security = SECURITY;
        add(401);
        if (fact && DEFAULT_ROLES.some((role) => !fact.roles.includes(role))) add(403);
      }
      if (path.includes('{')) add(404);
      if (op.requestBody) add(413);
      sortResponses(op);
    }
  }
}

function sortResponses(op: OperationObject): void {
  op.responses = Object.fromEntries(
    Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)),
  ) as Record<string, ResponseObject>;
}

/**
 * @nestjs/swagger still writes OpenAPI 3.0's `nullable: true`; JSON Schema 2020-12 (OpenAPI 3.1) says
 * `type: [T, 'null']` instead, and validators ignore `nullable`.
 */
function toOpenApi31(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(toOpenApi31);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as SchemaObject & Record<string, unknown>;
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type)) schema.type = [...new Set([...schema.type, 'null'])];
  }
  Object.values(schema).forEach(toOpenApi31);
}
