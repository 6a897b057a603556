import type { Logger } from '@nestjs/common';

/** Anything that emits connection errors: an ioredis client, a BullMQ queue or worker. */
interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Warnings that repeat while a dependency is down: each distinct text at most once per `everyMs`. ioredis and BullMQ
 * emit on every failed reconnect (several a second), and polling loops fail on every tick.
 */
export class RepeatedWarnings {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 10_000,
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - (this.last.get(message) ?? -Infinity) < this.everyMs) return;
    if (this.last.size >= 100) this.last.clear(); // bounded: texts can carry ids
    this.last.set(message, now);
    this.logger.warn(message);
  }
}

/**
 * Logs an emitter's errors through RepeatedWarnings. An emitter without a listener would have each raw error object
 * printed to the console instead (BullMQ does that for its queues).
 */
export function logErrorsThrottled(
  emitter: ErrorEmitter,
  logger: Logger,
  what: string,
  everyMs = 10_000,
): void {
  const warnings = new RepeatedWarnings(logger, everyMs);
  emitter.on('error', (err: Error) => warnings.warn(`${what}: ${err.message}`));
}
