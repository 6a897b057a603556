import { Controller, Get } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';
import { Public } from '../accounts/auth/auth.decorators';
import { Readiness } from './readiness';

/**
 * Probes for orchestrators (docs/queue.md, "Metrics and health"): GET /health/live and /health/ready, 200 or 503
 * in terminus's shape. GET /health (HealthController) keeps the console's shape.
 */
@Public()
@Controller('health')
export class ProbesController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.readiness.live();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.readiness.ready();
  }
}
