import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GenerationInfoService } from './generation-info.service';
import { LLM_PROVIDER } from './generation.constants';
import { LessonGenerator } from './generators/lesson.generator';
import { OutlineGenerator } from './generators/outline.generator';
import { TaskGenerator } from './generators/task.generator';
import { createLlmProvider } from './providers/llm-provider.factory';
import { PricingModule } from '../pricing/pricing.module';

/**
 * The model layer: the `LlmProvider` chosen by LLM_PROVIDER, and the generators (outline, lessons, tasks) that
 * turn a context into validated content through it. Knows no tables and no queues.
 */
@Module({
  imports: [PricingModule],
  providers: [
    {
      provide: LLM_PROVIDER,
      useFactory: (config: AppConfig) => createLlmProvider(config),
      inject: [AppConfig],
    },
    OutlineGenerator,
    LessonGenerator,
    TaskGenerator,
    GenerationInfoService,
  ],
  exports: [
    LLM_PROVIDER,
    OutlineGenerator,
    LessonGenerator,
    TaskGenerator,
    GenerationInfoService,
    PricingModule,
  ],
})
export class GenerationModule {}
