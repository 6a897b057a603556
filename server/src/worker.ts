import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createRootLogger, PinoNestLogger } from './logging/logger';
import { describeStartupError, exitGracefullyOnSignals, loadConfigOrExit } from './startup';
import { WorkerModule } from './worker.module';

/** A worker process: runs queue processors without HTTP. Start as many as you like on machines sharing PostgreSQL and Redis. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config);
  try {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    });
    exitGracefullyOnSignals(app, config, logger);
    logger.info({ llm_provider: config.LLM_PROVIDER }, 'Courseloom worker started');
  } catch (err) {
    logger.fatal({ err }, describeStartupError(err, config));
    logger.flush();
    setTimeout(() => process.exit(1), 100);
  }
}

void bootstrap();
