import { EventEmitter } from 'node:events';
import type { Logger } from '@nestjs/common';
import { logErrorsThrottled, RepeatedWarnings } from './throttled-error-log';

function fakeLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: { warn: (m: string) => lines.push(m) } as unknown as Logger, lines };
}

describe('warnings that repeat while a dependency is down', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-11-30T00:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('writes each distinct text at most once per interval, and again once it has passed', () => {
    const { logger, lines } = fakeLogger();
    const warnings = new RepeatedWarnings(logger, 10_000);
    warnings.warn('Redis down');
    warnings.warn('Redis down');
    warnings.warn('PostgreSQL down');
    jest.setSystemTime(Date.now() + 9_999);
    warnings.warn('Redis down');
    jest.setSystemTime(Date.now() + 1);
    warnings.warn('Redis down');
    expect(lines).toEqual(['Redis down', 'PostgreSQL down', 'Redis down']);
  });

  it("listens for an emitter's errors, so none reaches the console raw, and names the emitter", () => {
    const { logger, lines } = fakeLogger();
    const emitter = new EventEmitter();
    logErrorsThrottled(emitter, logger, 'Queue jobs');
    expect(() => emitter.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'))).not.toThrow();
    emitter.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(lines).toEqual(['Queue jobs: connect ECONNREFUSED 127.0.0.1:6379']);
  });
});
