import { randomBytes } from 'node:crypto';
import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import { AppModule } from '../../server/src/app.module';
import { AppConfig, loadConfig } from '../../server/src/config/app-config';
import { configureApp } from '../../server/src/http/configure-app';
import { PinoNestLogger } from '../../server/src/logging/logger';
import { createSuiteDatabase, dropSuiteDatabase } from './test-database';
import { testRedisUrl } from './test-env';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> of the listening server. */
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults (own database, own Redis prefix, quiet logs). */
  env?: Record<string, string>;
  /** Use this database instead of creating a fresh one (it is then not dropped on close). */
  databaseUrl?: string;
  /** Modules booted next to the AppModule (e.g. a test-only job type: test/support/echo-job-type.ts). */
  imports?: (Type | DynamicModule)[];
}

/** The root of a test app with extra modules. */
@Module({})
class TestRootModule {}

/** A unique Redis key prefix, so suites running at once never see each other's queues. */
export function uniqueRedisPrefix(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

/** The real AppModule with the real HTTP setup, on a fresh database copied from the migrated template. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createSuiteDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: uniqueRedisPrefix(),
    START_WORKER: 'false',
    SAMPLE_LATENCY_MS: '0',
    PORT: '0',
    ...options.env,
  });
  const logger = pino({ level: config.LOG_LEVEL });
  let app: NestExpressApplication | undefined;
  try {
    const root: DynamicModule = options.imports?.length
      ? { module: TestRootModule, imports: [AppModule.forRoot(config), ...options.imports] }
      : AppModule.forRoot(config);
    app = await NestFactory.create<NestExpressApplication>(root, {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    });
    configureApp(app, config, logger);
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app?.close().catch(() => undefined);
    if (!options.databaseUrl) await dropSuiteDatabase(databaseUrl);
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  const started = app;
  return {
    app: started,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    databaseUrl,
    async close() {
      await started.close();
      if (!options.databaseUrl) await dropSuiteDatabase(databaseUrl);
    },
  };
}
