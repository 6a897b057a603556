import { DynamicModule, Module } from '@nestjs/common';
import { ClusterGauges } from './cluster-gauges';
import { MetricsController } from './metrics.controller';

/**
 * Prometheus metrics (docs/queue.md, "Metrics and health"). The metrics themselves are defined in `metrics.ts`; this
 * module adds the scrape-time cluster gauges and, in the API, GET /metrics. Worker processes serve the same text on
 * METRICS_PORT (health/ops-server.ts).
 */
@Module({})
export class MetricsModule {
  static forRoot(options: { http: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: options.http ? [MetricsController] : [],
      providers: [ClusterGauges],
    };
  }
}
