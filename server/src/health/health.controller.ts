import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../accounts/auth/auth.decorators';
import { HealthReport, HealthService } from './health.service';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis answer; 503 naming what is down. */
  @Get()
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthReport & { message?: string }> {
    const report = await this.health.check();
    if (report.status === 'ok') return report;
    res.status(503);
    const down = Object.entries(report.checks)
      .filter(([, state]) => state.status === 'down')
      .map(([name]) => name);
    return {
      ...report,
      message: `Unavailable: ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down`,
    };
  }
}
