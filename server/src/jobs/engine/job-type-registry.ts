import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  isPhaseStatus,
  JOB_TYPE_METADATA,
  JobTypeDefinition,
  PHASE_STATUSES,
  PhaseDefinition,
} from './job-type';

/**
 * Finds every `@RegisterJobType()` provider (in any module) at start-up and checks its shape: one or two phases, in
 * the order of PHASE_STATUSES, with step kinds unique across all types. docs/extending.md.
 */
@Injectable()
export class JobTypeRegistry implements OnModuleInit {
  private readonly types = new Map<string, JobTypeDefinition>();
  private readonly phases = new Map<string, { type: JobTypeDefinition; phase: PhaseDefinition }>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const cls = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!cls || !wrapper.instance || !Reflect.getMetadata(JOB_TYPE_METADATA, cls)) continue;
      this.add(wrapper.instance as JobTypeDefinition);
    }
  }

  /** Registers one job type (the discovery above calls it; a test may too). */
  add(type: JobTypeDefinition): void {
    if (this.types.has(type.name)) throw new Error(`Two job types are named "${type.name}"`);
    if (type.phases.length === 0 || type.phases.length > PHASE_STATUSES.length)
      throw new Error(`Job type "${type.name}" must have 1 to ${PHASE_STATUSES.length} phases`);
    type.phases.forEach((phase, i) => {
      if (!isPhaseStatus(phase.status) || phase.status !== PHASE_STATUSES[i])
        throw new Error(`Phase ${i + 1} of job type "${type.name}" must run under ${PHASE_STATUSES[i]}`);
      if (this.phases.has(phase.kind)) throw new Error(`Two phases are of step kind "${phase.kind}"`);
    });
    this.types.set(type.name, type);
    for (const phase of type.phases) this.phases.set(phase.kind, { type, phase });
  }

  names(): string[] {
    return [...this.types.keys()];
  }

  kinds(): string[] {
    return [...this.phases.keys()];
  }

  /** The job type of a row or queue entry; throws for an unknown one (the entry then fails, and so its job). */
  get(name: string): JobTypeDefinition {
    const type = this.types.get(name);
    if (!type) throw new Error(`No job type is registered as "${name}"`);
    return type;
  }

  find(name: string): JobTypeDefinition | undefined {
    return this.types.get(name);
  }

  /** The job type and phase of a step kind, or undefined. */
  phaseOf(kind: string): { type: JobTypeDefinition; phase: PhaseDefinition } | undefined {
    return this.phases.get(kind);
  }
}
