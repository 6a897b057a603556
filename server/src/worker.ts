import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { logEnvFileLoad } from './config/env-file';
import { createRootLogger, PinoNestLogger } from './logging/logger';
import { checkServices } from './preflight/check-services';
import { exitGracefullyOnSignals, loadConfigOrExit, logStartupFailure } from './startup';

/** A worker process: runs queue processors without HTTP. Start as many as you like on machines sharing PostgreSQL and Redis. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config);
  logEnvFileLoad(logger);
  try {
    await checkServices(config);
    // Loaded only once both services answer (main.ts says why).
    const { WorkerModule } = await import('./worker.module.js');
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    });
    exitGracefullyOnSignals(app, config, logger);
    logger.info({ llm_provider: config.LLM_PROVIDER }, 'Courseloom worker started');
  } catch (err) {
    logStartupFailure(logger, err, config);
    logger.flush();
    setTimeout(() => process.exit(1), 100);
  }
}

void bootstrap();
