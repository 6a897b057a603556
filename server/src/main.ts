import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { logEnvFileLoad } from './config/env-file';
import { createRootLogger, PinoNestLogger } from './logging/logger';
import { checkServices } from './preflight/check-services';
import { exitGracefullyOnSignals, loadConfigOrExit, logStartupFailure } from './startup';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config);
  logEnvFileLoad(logger);
  try {
    await checkServices(config);
    // Loaded only once both services answer: the whole application takes seconds to load, the check a fraction.
    const { AppModule } = await import('./app.module.js');
    const { configureApp } = await import('./http/configure-app.js');
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    });
    configureApp(app, config, logger);
    exitGracefullyOnSignals(app, config, logger);
    await app.listen(config.PORT, config.HOST);
    const shown = config.bindsLoopbackOnly
      ? 'localhost'
      : config.HOST.includes(':')
        ? `[${config.HOST}]`
        : config.HOST;
    logger.info(
      {
        host: config.HOST,
        port: config.PORT,
        node_env: config.NODE_ENV,
        worker: config.START_WORKER,
        llm_provider: config.LLM_PROVIDER,
      },
      `Courseloom API on http://${shown}:${config.PORT} (admin UI at /admin; ${config.NODE_ENV} rules)`,
    );
  } catch (err) {
    logStartupFailure(logger, err, config);
    logger.flush();
    setTimeout(() => process.exit(1), 100);
  }
}

void bootstrap();
