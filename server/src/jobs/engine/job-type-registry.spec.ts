import type { DiscoveryService } from '@nestjs/core';
import type { JobTypeDefinition, PhaseDefinition } from './job-type';
import { JobTypeRegistry } from './job-type-registry';

const phase = (kind: string, status: PhaseDefinition['status']): PhaseDefinition =>
  ({ kind, status, step: status === 'generating_lessons' ? 'lessons' : 'tasks' }) as PhaseDefinition;
const type = (name: string, phases: PhaseDefinition[]): JobTypeDefinition =>
  ({
    name,
    phases,
    start: async () => ({ logs: [], items_total: 0, items_completed: 0 }),
  }) as JobTypeDefinition;

describe('JobTypeRegistry', () => {
  const registry = (): JobTypeRegistry => new JobTypeRegistry({} as DiscoveryService);

  describe('when a job type is well formed', () => {
    it('finds it by name and its phases by step kind', () => {
      const r = registry();
      const course = type('course', [phase('a', 'generating_lessons'), phase('b', 'generating_tasks')]);
      r.add(course);
      expect(r.get('course')).toBe(course);
      expect(r.phaseOf('b')).toEqual({ type: course, phase: course.phases[1] });
      expect(r.kinds()).toEqual(['a', 'b']);
      expect(r.phaseOf('c')).toBeUndefined();
      expect(() => r.get('other')).toThrow('No job type is registered as "other"');
    });
  });

  describe('when a job type is malformed', () => {
    it.each([
      ['no phases', type('t', [])],
      [
        'three phases',
        type('t', [
          phase('a', 'generating_lessons'),
          phase('b', 'generating_tasks'),
          phase('c', 'generating_tasks'),
        ]),
      ],
      ['phases out of order', type('t', [phase('a', 'generating_tasks')])],
    ])('refuses one with %s', (_what, t) => {
      expect(() => registry().add(t)).toThrow(/must/);
    });

    it('refuses a second type of the same name, or a step kind taken by another type', () => {
      const r = registry();
      r.add(type('t', [phase('a', 'generating_lessons')]));
      expect(() => r.add(type('t', [phase('x', 'generating_lessons')]))).toThrow(
        'Two job types are named "t"',
      );
      expect(() => r.add(type('u', [phase('a', 'generating_lessons')]))).toThrow(
        'Two phases are of step kind "a"',
      );
    });
  });
});
