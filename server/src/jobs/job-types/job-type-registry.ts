import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_TYPE_METADATA, JobTypeHandler } from './job-type';

/** Finds every `@RegisterJobType` provider and dispatches `jobs` queue entries to them by job name. */
@Injectable()
export class JobTypeRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobTypeHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type || !wrapper.instance) continue;
      const name = Reflect.getMetadata(JOB_TYPE_METADATA, type) as string | undefined;
      if (!name) continue;
      if (this.handlers.has(name)) throw new Error(`Two handlers are registered for job type "${name}"`);
      this.handlers.set(name, wrapper.instance as JobTypeHandler);
    }
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  async dispatch(job: Job, token: string | undefined): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`No handler is registered for job type "${job.name}"`);
    return handler.process(job, token);
  }
}
