import { Writable } from 'node:stream';
import pino from 'pino';
import {
  addLogFields,
  currentLogFields,
  logContextOptions,
  requestLogContext,
  withLogFields,
} from './log-context';
import { PinoNestLogger } from './logger';

/** A pino logger with the product's context options, writing parsed lines into an array. */
function capture(): { lines: Record<string, unknown>[]; logger: pino.Logger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug', ...logContextOptions }, sink) };
}

const byMessage = (lines: Record<string, unknown>[], msg: string): Record<string, unknown> => {
  const line = lines.find((l) => l.msg === msg);
  if (!line) throw new Error(`no line "${msg}" in ${JSON.stringify(lines)}`);
  return line;
};

/** A promise resolved from outside: interleaves two units of work in a chosen order without timers. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('the log context', () => {
  describe('outside any unit of work', () => {
    it('adds no field to a line', () => {
      const { lines, logger } = capture();
      logger.info({ context: 'Boot' }, 'started');
      expect(lines[0]).not.toHaveProperty('req_id');
      expect(lines[0]).not.toHaveProperty('job_id');
      expect(currentLogFields()).toBeUndefined();
    });

    it('hands pino the line object itself (no copy per line)', () => {
      const line = { msg: 'x' };
      expect(logContextOptions.mixinMergeStrategy(line, logContextOptions.mixin())).toBe(line);
    });

    it('ignores fields added with no unit of work to add them to', () => {
      addLogFields({ job_id: 'nowhere' });
      expect(currentLogFields()).toBeUndefined();
    });
  });

  describe('within a unit of work', () => {
    it('adds its fields to every line, from pino, its children and Nest loggers alike', async () => {
      const { lines, logger } = capture();
      await withLogFields({ job_id: 'j1', job_type: 'course_generation' }, async () => {
        await Promise.resolve();
        logger.info('root');
        logger.child({ component: 'x' }).warn('child');
        new PinoNestLogger(logger).log('service', 'SomeService');
      });
      for (const msg of ['root', 'child', 'service']) {
        expect(byMessage(lines, msg)).toMatchObject({ job_id: 'j1', job_type: 'course_generation' });
      }
      expect(byMessage(lines, 'service')).toMatchObject({ context: 'SomeService' });
    });

    it('lets a field the call passes itself win over the context', () => {
      const { lines, logger } = capture();
      withLogFields({ job_id: 'context' }, () => logger.info({ job_id: 'explicit' }, 'line'));
      expect(byMessage(lines, 'line').job_id).toBe('explicit');
    });

    it('never changes the object a call passes, nor the context, when writing a line', () => {
      const { logger } = capture();
      const passed = { msg: 'line' };
      withLogFields({ req_id: 'r1' }, () => {
        logger.info(passed);
        expect(passed).toEqual({ msg: 'line' });
        expect(currentLogFields()).toEqual({ req_id: 'r1' });
      });
    });

    it('keeps fields learnt later (the course, once the row is read) for the rest of the work', async () => {
      const { lines, logger } = capture();
      await withLogFields({ job_id: 'j1' }, async () => {
        logger.info('before');
        await Promise.resolve();
        addLogFields({ course_id: 'c1' });
        setImmediate(() => logger.info('in a callback'));
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('after');
      });
      expect(byMessage(lines, 'before')).not.toHaveProperty('course_id');
      expect(byMessage(lines, 'in a callback')).toMatchObject({ job_id: 'j1', course_id: 'c1' });
      expect(byMessage(lines, 'after')).toMatchObject({ job_id: 'j1', course_id: 'c1' });
    });

    it('never lets an unknown value (undefined) hide a known one', () => {
      withLogFields({ req_id: 'r1', job_id: 'j1' }, () =>
        withLogFields({ req_id: undefined, step_id: 's1' }, () => {
          addLogFields({ job_id: undefined });
          expect(currentLogFields()).toEqual({ req_id: 'r1', job_id: 'j1', step_id: 's1' });
        }),
      );
    });
  });

  describe('nested units of work', () => {
    it('add the inner fields to the outer ones, and leave the outer ones untouched when they end', async () => {
      const { lines, logger } = capture();
      await withLogFields({ req_id: 'r1' }, async () => {
        await withLogFields({ job_id: 'j1', course_id: 'c1' }, async () => {
          await Promise.resolve();
          addLogFields({ step_kind: 'lessons' });
          logger.info('inner');
        });
        logger.info('outer');
      });
      expect(byMessage(lines, 'inner')).toMatchObject({
        req_id: 'r1',
        job_id: 'j1',
        course_id: 'c1',
        step_kind: 'lessons',
      });
      const outer = byMessage(lines, 'outer');
      expect(outer.req_id).toBe('r1');
      expect(outer).not.toHaveProperty('job_id');
      expect(outer).not.toHaveProperty('step_kind');
    });
  });

  describe('concurrent units of work', () => {
    it('never mix their fields, however their steps interleave', async () => {
      const { lines, logger } = capture();
      const aMayGoOn = gate();
      const bMayGoOn = gate();
      const a = withLogFields({ job_id: 'a' }, async () => {
        logger.info('a1');
        await aMayGoOn.opened;
        addLogFields({ course_id: 'course-a' });
        logger.info('a2');
        bMayGoOn.open();
      });
      const b = withLogFields({ job_id: 'b' }, async () => {
        logger.info('b1');
        aMayGoOn.open();
        await bMayGoOn.opened;
        logger.info('b2');
      });
      await Promise.all([a, b]);

      expect(lines.map((l) => l.msg)).toEqual(['a1', 'b1', 'a2', 'b2']);
      for (const line of lines) expect(line.job_id).toBe(String(line.msg).charAt(0));
      expect(byMessage(lines, 'a2').course_id).toBe('course-a');
      expect(byMessage(lines, 'b2')).not.toHaveProperty('course_id');
      expect(currentLogFields()).toBeUndefined();
    });

    it('isolate many at once (one per simulated request)', async () => {
      const { lines, logger } = capture();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          withLogFields({ req_id: `r${i}` }, async () => {
            for (let n = 0; n < 3; n++) {
              await new Promise((resolve) => setImmediate(resolve));
              logger.info(`r${i}`);
            }
          }),
        ),
      );
      expect(lines).toHaveLength(150);
      for (const line of lines) expect(line.req_id).toBe(line.msg);
    });
  });

  describe('requestLogContext (the HTTP middleware)', () => {
    it('runs the rest of the request with its req_id', () => {
      let seen: unknown;
      requestLogContext({ id: 'req-1' }, {}, () => (seen = currentLogFields()));
      expect(seen).toEqual({ req_id: 'req-1' });
      expect(currentLogFields()).toBeUndefined();
    });

    it('passes a request without an id on without a context', () => {
      let called = false;
      requestLogContext({}, {}, () => {
        called = true;
        expect(currentLogFields()).toBeUndefined();
      });
      expect(called).toBe(true);
    });
  });
});
