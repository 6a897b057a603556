import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { OpsServer } from './ops-server';
import { ProbesController } from './probes.controller';
import { HEALTH_OPTIONS, HealthOptions, Readiness } from './readiness';
import { WorkerHeartbeat, WorkerHeartbeats } from './worker-heartbeats';

/**
 * Health: GET /health (the console's shape), /health/live and /health/ready for orchestrators, in the API; a worker
 * process serves the probes and /metrics on METRICS_PORT instead (OpsServer). Processes that run queue workers send
 * heartbeats, which the API's readiness reports (docs/queue.md, "Metrics and health").
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    const providers: Provider[] = [
      HealthService,
      WorkerHeartbeats,
      Readiness,
      { provide: HEALTH_OPTIONS, useValue: options },
    ];
    if (options.runsWorkers) providers.push(WorkerHeartbeat);
    if (!options.api) providers.push(OpsServer);
    return {
      module: HealthModule,
      // terminus's own error log is off: HealthService logs each dependency once per change of state.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: options.api ? [HealthController, ProbesController] : [],
      providers,
    };
  }
}
