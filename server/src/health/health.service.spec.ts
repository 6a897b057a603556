import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { HealthService } from './health.service';

const refused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432 (password=hunter2)'), { code: 'ECONNREFUSED' });

function service(pg: () => Promise<unknown>, ping: () => Promise<unknown> = async () => 'PONG') {
  const health = new HealthService({ query: pg } as unknown as DataSource, { ping } as unknown as Redis);
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  return { health, warn, log };
}

describe('HealthService', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('when a dependency fails', () => {
    it('reports it down with a fixed reason and none of the raw error text', async () => {
      const { health } = service(() => Promise.reject(refused()));
      const report = await health.check();
      expect(report).toEqual({
        status: 'error',
        checks: { postgres: { status: 'down', reason: 'unreachable' }, redis: { status: 'up' } },
      });
      expect(JSON.stringify(report)).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|hunter2/);
    });

    it('an error answer is "error", not "unreachable"', async () => {
      const { health } = service(() => Promise.reject(new Error('relation "x" does not exist')));
      expect((await health.check()).checks.postgres).toEqual({ status: 'down', reason: 'error' });
    });

    it('no answer within the check timeout is "timeout"', async () => {
      jest.useFakeTimers();
      try {
        const { health } = service(() => new Promise(() => undefined));
        const report = health.check();
        await jest.advanceTimersByTimeAsync(2500);
        expect((await report).checks.postgres).toEqual({ status: 'down', reason: 'timeout' });
      } finally {
        jest.useRealTimers();
      }
    });

    it('logs the raw error once per change of state, not on every probe, and once on recovery', async () => {
      let down = true;
      const { health, warn, log } = service(() => (down ? Promise.reject(refused()) : Promise.resolve([])));
      for (let i = 0; i < 5; i++) await health.check();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatchObject({ dependency: 'postgres', err: expect.any(Error) });
      down = false;
      for (let i = 0; i < 3; i++) await health.check();
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toBe('Health: postgres is up again');
      down = true;
      await health.check();
      expect(warn).toHaveBeenCalledTimes(2);
    });
  });
});
