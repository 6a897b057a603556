import { JOB_STATUSES, STEP_STATUSES, type JobStatus, type StepStatus } from '@contracts/api';

import { aJob, aRegenerationJob, stepCounts } from '../testing/builders';
import {
  failureText,
  filterStatus,
  isActiveJob,
  jobTypeText,
  progressPercent,
  progressText,
  retryConfirmation,
  statusBadge,
  stepBadge,
} from './job-display';

describe('statusBadge', () => {
  it.each<[JobStatus, string, string]>([
    ['pending', 'Queued', 'grey'],
    ['generating_lessons', 'Generating Lessons', 'blue'],
    ['generating_tasks', 'Generating Tasks', 'blue'],
    ['finalizing', 'Finalizing', 'purple'],
    ['completed', 'Completed', 'green'],
    ['failed', 'Failed', 'red'],
    ['cancelled', 'Cancelled', 'grey'],
    ['paused', 'Paused', 'amber'],
  ])('%s → %s (%s)', (status, label, tone) => {
    expect(statusBadge(status)).toEqual({ label, tone });
  });

  it('covers every status of the contract', () => {
    for (const status of JOB_STATUSES) {
      expect(statusBadge(status).label).not.toBe(status);
    }
  });
});

describe('progressText', () => {
  it('counts projects while generating lessons', () => {
    expect(progressText(aJob({ status: 'generating_lessons', items_completed: 3, items_total: 5 }))).toBe(
      '3/5 projects',
    );
  });

  it('counts lessons while generating tasks', () => {
    expect(
      progressText(
        aJob({ status: 'generating_tasks', current_step: 'tasks', items_completed: 8, items_total: 12 }),
      ),
    ).toBe('8/12 lessons');
  });

  it('says "Done" when completed', () => {
    expect(progressText(aJob({ status: 'completed' }))).toBe('Done');
  });

  it.each<JobStatus>(['failed', 'cancelled'])('shows "--" when %s', (status) => {
    expect(progressText(aJob({ status, items_completed: 2, items_total: 5 }))).toBe('--');
  });

  it('shows "--" for a queued job with nothing counted yet', () => {
    expect(
      progressText(aJob({ status: 'pending', current_step: null, items_completed: 0, items_total: 0 })),
    ).toBe('--');
  });

  it('uses the current step for a queued (retried) job that has counts', () => {
    expect(
      progressText(aJob({ status: 'pending', current_step: 'tasks', items_completed: 4, items_total: 12 })),
    ).toBe('4/12 lessons');
  });
});

describe('progressPercent', () => {
  it('is the share of items done while active, 100 when completed, none when failed', () => {
    expect(progressPercent(aJob({ items_completed: 3, items_total: 5 }))).toBe(60);
    expect(progressPercent(aJob({ status: 'pending', items_completed: 0, items_total: 0 }))).toBe(0);
    expect(progressPercent(aJob({ status: 'completed' }))).toBe(100);
    expect(progressPercent(aJob({ status: 'failed' }))).toBeNull();
  });
});

describe('isActiveJob and filterStatus', () => {
  it('treats pending, running and paused statuses as active', () => {
    const active = JOB_STATUSES.filter((status) => isActiveJob({ status }));
    expect(active).toEqual(['pending', 'generating_lessons', 'generating_tasks', 'finalizing', 'paused']);
  });

  it('maps the filters to the API status query', () => {
    expect(filterStatus('all')).toBeUndefined();
    expect(filterStatus('running')).toBe('active');
    expect(filterStatus('completed')).toBe('completed');
    expect(filterStatus('failed')).toBe('failed');
  });
});

describe('stepBadge', () => {
  it.each<[StepStatus, string, string]>([
    ['queued', 'Queued', 'grey'],
    ['running', 'Running', 'blue'],
    ['succeeded', 'Succeeded', 'green'],
    ['failed', 'Failed', 'red'],
    ['skipped', 'Skipped', 'grey'],
    ['cancelled', 'Cancelled', 'grey'],
  ])('%s → %s (%s), like the job badges', (status, label, tone) => {
    expect(stepBadge(status)).toEqual({ label, tone });
  });

  it('covers every step status of the contract', () => {
    for (const status of STEP_STATUSES) {
      expect(stepBadge(status).label).not.toBe(status);
    }
  });
});

describe('failureText', () => {
  it('names the failed step, then the message', () => {
    expect(failureText(aJob({ failed_step: 'tasks', error_message: 'The model timed out' }))).toBe(
      'Writing tasks: The model timed out',
    );
    expect(failureText(aJob({ failed_step: null, error_message: 'Boom' }))).toBe('Boom');
    expect(failureText(aJob({ error_message: null }))).toBeNull();
  });
});

describe('retryConfirmation', () => {
  const failed = (failedStep: 'lessons' | 'tasks', counts: Parameters<typeof stepCounts>[0]) =>
    aJob({
      status: 'failed',
      course_title: 'Guitar',
      failed_step: failedStep,
      step_counts: stepCounts(counts),
    });

  describe('when the job failed writing tasks (every step exists)', () => {
    it('says exactly how many steps run again: failed, cancelled and not started', () => {
      const data = retryConfirmation(
        failed('tasks', { succeeded: 9, skipped: 1, failed: 1, cancelled: 2, queued: 1 }),
      );
      expect(data.message).toContain('Retry “Guitar”? 4 steps will run again.');
      expect(data.message).toContain('already succeeded are kept');
      expect(data.confirmLabel).toBe('Retry');
    });
  });

  describe('when the job failed writing lessons', () => {
    it('says at least how many (the tasks steps of those lessons do not exist yet)', () => {
      expect(retryConfirmation(failed('lessons', { succeeded: 1, failed: 1 })).message).toContain(
        'At least 1 step will run again',
      );
    });
  });

  describe('when the job has no step counts', () => {
    it('says every unfinished step runs again', () => {
      expect(retryConfirmation(failed('lessons', {})).message).toContain(
        'Every step that has not succeeded will run again.',
      );
    });
  });
});

describe('jobTypeText', () => {
  it('names a course generation job "Course generation"', () => {
    expect(jobTypeText(aJob())).toBe('Course generation');
  });

  it('names the part a regeneration job rewrites: the tasks of a lesson, or the lessons of a project', () => {
    expect(jobTypeText(aRegenerationJob())).toBe('Regeneration: tasks of “Understanding Game Mechanics”');
    expect(
      jobTypeText(
        aRegenerationJob({
          target: {
            target: 'project_lessons',
            item_id: 'p-1',
            item_title: 'Playtesting',
            instructions: null,
          },
        }),
      ),
    ).toBe('Regeneration: lessons of “Playtesting”');
  });

  it('falls back to "Regeneration" without a target, and to the raw type for a type it does not know', () => {
    expect(jobTypeText(aRegenerationJob({ target: null }))).toBe('Regeneration');
    expect(jobTypeText(aJob({ job_type: 'echo' }))).toBe('echo');
  });
});
