import { Module } from '@nestjs/common';
import { ModelBudgetModule } from '../model-budget/model-budget.module';
import { SettingsController } from './settings.controller';

/** GET/PUT /api/admin/settings: the organization's monthly budget and default job cap (docs/costs.md). */
@Module({
  imports: [ModelBudgetModule],
  controllers: [SettingsController],
})
export class SettingsModule {}
