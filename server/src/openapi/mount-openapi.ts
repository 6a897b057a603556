import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX } from '../http/paths';
import { buildOpenApiDocument } from './openapi-document';

export const OPENAPI_JSON_PATH = `/${API_PREFIX}/openapi.json`;
export const API_DOCS_PATH = `/${API_PREFIX}/docs`;

/**
 * `GET /api/openapi.json` and the Swagger UI reference at `/api/docs`, both public like the document's own routes
 * list (docs/openapi.md). The document is built on the first request, once the app has every route.
 */
export function mountOpenApi(app: NestExpressApplication): void {
  SwaggerModule.setup(API_DOCS_PATH.slice(1), app, () => buildOpenApiDocument(app), {
    useGlobalPrefix: false,
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: 'Courseloom API',
    // No badge from validator.swagger.io: the page loads nothing from outside (the CSP would refuse it anyway).
    swaggerOptions: { validatorUrl: null, persistAuthorization: false },
  });
}
