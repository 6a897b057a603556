import { randomUUID } from 'node:crypto';
import { ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { Logger as PinoLogger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { REQUEST_ID_PATTERN, requestLogContext } from '../logging/log-context';
import { mountBullBoard } from '../jobs/bull-board';
import { mountOpenApi } from '../openapi/mount-openapi';
import { httpMetrics } from '../metrics/http-metrics';
import { adminUiMiddleware } from './admin-ui';
import { HttpErrorFilter } from './http-error.filter';
import { rejectNulCharacters } from './nul-characters';
import { sameOriginGuard } from './same-origin';
import { API_PREFIX } from './paths';

/** Everything about the HTTP edge, shared by main.ts and the e2e tests so they test what runs. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: PinoLogger): void {
  // Who may set X-Forwarded-For/-Proto/-Host (the client IP of the login rate limit, req.protocol, req.host).
  app.set('trust proxy', config.trustProxy);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // The HTTP line names its request id like every other line of the request (`req_id`, log-context.ts); it is
      // written when the response ends, which may be outside the request's context.
      customSuccessObject: (req, _res, line: object) => ({ req_id: req.id, ...line }),
      customErrorObject: (req, _res, _err, line: object) => ({ req_id: req.id, ...line }),
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Probes and scrapes every few seconds would drown the log (docs/queue.md, "Metrics and health").
      autoLogging: { ignore: (req) => /^\/(health(\/(live|ready))?|metrics)(\?|$)/.test(req.url ?? '') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // An API key misplaced in a query string still never reaches a log (docs/accounts-and-curriculum.md#api-keys).
          url: req.url.replace(/clk_[\w-]+/g, 'clk_[redacted]'),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(requestLogContext); // every line the request causes carries its req_id (docs/queue.md, "Following a job in the logs")
  app.use(httpMetrics); // request durations by matched route pattern
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Angular Material and Bull Board set inline styles; scripts stay same-origin.
          'style-src': ["'self'", "'unsafe-inline'"],
          'font-src': ["'self'", 'data:'],
          'img-src': ["'self'", 'data:'],
          // Plain-HTTP deployments (localhost) must not have their requests upgraded to https.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.use(cookieParser());
  const origins = config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // Before every route and Bull Board: cookie-authenticated writes must be same-origin; JSON bodies only.
  app.use(sameOriginGuard(origins));
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.use(rejectNulCharacters); // PostgreSQL cannot store U+0000: 400 naming the field
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: true });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/{*path}', 'metrics'] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  mountOpenApi(app); // GET /api/openapi.json, /api/docs (docs/openapi.md)
  mountBullBoard(app);
  app.use(adminUiMiddleware(config.ADMIN_UI_DIR));
}
