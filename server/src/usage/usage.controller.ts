import { Controller, Get, Query } from '@nestjs/common';
import type { UsageReport } from '../../../contracts/api';
import { AuthUser, CurrentUser } from '../accounts/auth';
import { UsageQuery } from './dto/usage.dto';
import { UsageReportService } from './usage-report.service';
import { ApiReturns } from '../openapi/api-contract';

/** The organization's model usage and cost by month (docs/costs.md, "The usage report"). */
@Controller('admin/usage')
export class UsageController {
  constructor(private readonly reports: UsageReportService) {}

  @Get()
  @ApiReturns('UsageReport')
  report(@CurrentUser() user: AuthUser, @Query() q: UsageQuery): Promise<UsageReport> {
    return this.reports.month(user.organization_id, q.month ?? currentMonth());
  }
}

function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}
