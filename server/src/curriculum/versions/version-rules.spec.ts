import type { TaskView } from '../../../../contracts/api';
import { changesSomething, missingItemMessage, reviewNotice, versionLabel } from './version-rules';

const task = (title: string): TaskView => ({
  id: '00000000-0000-4000-8000-000000000001',
  lesson_id: '00000000-0000-4000-8000-000000000002',
  position: 0,
  title,
  instructions: 'Do it.',
  kind: 'exercise',
  estimated_minutes: null,
});

describe('version rules', () => {
  describe('versionLabel', () => {
    it('counts lessons and tasks, singular for one', () => {
      expect(
        versionLabel({ kind: 'lesson_tasks', tasks: [task('a'), task('b'), task('c'), task('d')] }),
      ).toBe('4 tasks');
      expect(versionLabel({ kind: 'lesson_tasks', tasks: [task('a')] })).toBe('1 task');
      expect(versionLabel({ kind: 'project_lessons', lessons: [] })).toBe('0 lessons');
    });

    it('names a single lesson or task by its title', () => {
      expect(versionLabel({ kind: 'task', task: task('Count the frames') })).toBe('Count the frames');
      const { tasks: _tasks, ...lesson } = {
        ...task('x'),
        project_id: 'p',
        summary: '',
        content: '',
        tasks: [],
      };
      expect(versionLabel({ kind: 'lesson', lesson: { ...lesson, title: 'Frames' } })).toBe('Frames');
    });
  });

  describe('changesSomething', () => {
    const current = {
      title: 'Frames',
      content: 'Old',
      estimated_minutes: null as number | null,
      position: 1,
    };

    it('is false when every field sent holds its stored value (or is not sent)', () => {
      expect(changesSomething(current, { title: 'Frames', content: undefined })).toBe(false);
      expect(changesSomething(current, { estimated_minutes: null, position: 1 })).toBe(false);
    });

    it('is true when one field sent differs, null and 0 included', () => {
      expect(changesSomething(current, { title: 'Frames', content: 'New' })).toBe(true);
      expect(changesSomething(current, { estimated_minutes: 0 })).toBe(true);
      expect(changesSomething(current, { position: 0 })).toBe(true);
    });
  });

  describe('reviewNotice', () => {
    const at = new Date('2026-05-04T23:30:00Z');

    it('says what was regenerated, when (UTC day), and what to do', () => {
      expect(reviewNotice('lesson_tasks', 'regenerated', 'Frames', at)).toBe(
        'The tasks of “Frames” were regenerated on 2026-05-04; review the course and publish it again.',
      );
      expect(reviewNotice('project_lessons', 'regenerated', 'Hives', at)).toBe(
        'The lessons of “Hives” were regenerated on 2026-05-04; review the course and publish it again.',
      );
    });

    it('says a restore brought back an earlier version, in the singular for one lesson or task', () => {
      expect(reviewNotice('task', 'restored', 'Count', at)).toBe(
        'The task “Count” was restored to an earlier version on 2026-05-04; review the course and publish it again.',
      );
    });
  });

  it('missingItemMessage says why a version cannot be restored and what to restore instead', () => {
    expect(missingItemMessage('task')).toBe(
      'Cannot restore: the task this version belongs to no longer exists (its lesson’s tasks were replaced since); ' +
        'restore a version of the lesson’s tasks instead',
    );
  });
});
