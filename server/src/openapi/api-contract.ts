import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type * as api from '../../../contracts/api';
import { ERROR_RESPONSES, ErrorStatus } from './error-responses';

/**
 * Response types of the routes, by their name in contracts/api.ts. Their JSON Schemas are generated from that file
 * at build time (scripts/build-contract-schemas.mjs), so the interfaces stay the one description (docs/openapi.md).
 */
export interface ContractTypes {
  ApiKeyListResponse: api.ApiKeyListResponse;
  ApproveOutlineResponse: api.ApproveOutlineResponse;
  BulkJobsResponse: api.BulkJobsResponse;
  CourseDetail: api.CourseDetail;
  CourseListResponse: api.CourseListResponse;
  CreatedApiKey: api.CreatedApiKey;
  GenerateLessonsResponse: api.GenerateLessonsResponse;
  GenerateOutlinesResponse: api.GenerateOutlinesResponse;
  GenerateTasksResponse: api.GenerateTasksResponse;
  GenerationEstimate: api.GenerationEstimate;
  JobDetailResponse: api.JobDetailResponse;
  JobListResponse: api.JobListResponse;
  JobStepsResponse: api.JobStepsResponse;
  LoginResponse: api.LoginResponse;
  OrganizationSettingsView: api.OrganizationSettingsView;
  ProviderInfo: api.ProviderInfo;
  QueueCourseResponse: api.QueueCourseResponse;
  RestoreVersionResponse: api.RestoreVersionResponse;
  SuccessResponse: api.SuccessResponse;
  UsageReport: api.UsageReport;
  UserListResponse: api.UserListResponse;
  UserView: api.UserView;
  VersionDetail: api.VersionDetail;
  VersionListResponse: api.VersionListResponse;
  WebhookDeliveryListResponse: api.WebhookDeliveryListResponse;
  WebhookDeliveryView: api.WebhookDeliveryView;
  WebhookEndpointView: api.WebhookEndpointView;
  WebhookListResponse: api.WebhookListResponse;
  WebhookSecretResponse: api.WebhookSecretResponse;
}
export type ContractName = keyof ContractTypes;

/** A reference to a component schema (contract types and error bodies). */
export function schemaRef(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature; only the result matters
type HandlerOf<T> = (...args: any[]) => T | Promise<T>;

/**
 * The route answers `status` with the contract type `name`. Typed against the handler: a method whose return type
 * is not that contract type does not compile, so the document cannot name the wrong type.
 */
export function ApiReturns<K extends ContractName>(name: K, status = 200) {
  return <F extends HandlerOf<ContractTypes[K]>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => {
    ApiResponse({ status, description: name, schema: schemaRef(name) })(target, key, descriptor);
  };
}

/**
 * Errors a route has beyond the ones derived from its shape (docs/openapi.md, "Errors"): 400, 401, 403, 404 and 413
 * are added to every operation that can produce them; 402, 409, 429, 502 and 503 are declared where they happen.
 */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, ...ERROR_RESPONSES[status] })));
}
