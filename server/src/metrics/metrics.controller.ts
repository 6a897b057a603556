import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../accounts/auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { metricsAuthorized, metricsText } from './metrics';

/**
 * GET /metrics: Prometheus text of the API process (and of its in-process worker). Not a user route: with
 * METRICS_TOKEN set it takes `Authorization: Bearer <METRICS_TOKEN>` only (docs/queue.md, "Metrics and health").
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  async get(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!metricsAuthorized(authorization, this.config.METRICS_TOKEN)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await metricsText();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
