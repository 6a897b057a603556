import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { UsageController } from './usage.controller';
import { UsageReportService } from './usage-report.service';

/** The monthly usage report: tokens and cost by model, user, job type and day (docs/costs.md). */
@Module({
  imports: [AccountsModule],
  controllers: [UsageController],
  providers: [UsageReportService],
})
export class UsageModule {}
