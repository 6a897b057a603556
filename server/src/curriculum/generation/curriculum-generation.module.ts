import { Module } from '@nestjs/common';
import { GenerationModule } from '../../generation/generation.module';
import { ModelBudgetModule } from '../../model-budget/model-budget.module';
import { CurriculumModule } from '../curriculum.module';
import { CourseGenerationService } from './course-generation.service';
import { GenerationController } from './generation.controller';
import { OutlineUsageStore } from './outline-usage.store';

/**
 * Where the curriculum meets the model layer: outline proposals and their approval into a draft course, and the
 * manual lessons/tasks path. Writes go through CurriculumContentService, like the queue's steps; model calls go
 * through MODEL_CALL_GATEWAY (provided by the jobs module, looked up by token), under the queue's budget.
 */
@Module({
  imports: [CurriculumModule, GenerationModule, ModelBudgetModule],
  controllers: [GenerationController],
  providers: [CourseGenerationService, OutlineUsageStore],
})
export class CurriculumGenerationModule {}
