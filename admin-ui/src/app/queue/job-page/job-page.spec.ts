import { provideHttpClient } from '@angular/common/http';
import type { HttpRequest } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import type { JobView, StepView } from '@contracts/api';
import { BehaviorSubject, of } from 'rxjs';

import type { ConfirmData } from '../../shared/confirm-dialog';
import { PAGE_VISIBLE } from '../../shared/page-visibility';
import {
  aJob,
  aJobDetail,
  aLogEntry,
  aRegenerationJob,
  aStep,
  aTasksStep,
  stepCounts,
} from '../../testing/builders';
import type { ResumeDialogData } from '../resume-dialog';
import { JobPage } from './job-page';

const JOB = '/api/admin/curriculum/generate/jobs/job-1';

describe('JobPage', () => {
  let fixture: ComponentFixture<JobPage>;
  let http: HttpTestingController;
  let confirmAnswer: boolean;
  let asked: ConfirmData[];

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string, root: ParentNode = el()): HTMLElement | null =>
    root.querySelector(`[data-testid="${id}"]`);
  const text = (node: Element | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (): void => fixture.detectChanges();
  /** Lets promises (a confirmation, an action) settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    render();
  };
  const isDetail = (req: HttpRequest<unknown>) => req.url === JOB;

  const failedJob = aJob({
    status: 'failed',
    course_title: 'Guitar Basics',
    course_id: 'c-guitar',
    failed_step: 'tasks',
    error_message: 'Could not generate the tasks of "Chords"',
    prompt_tokens: 1000,
    completion_tokens: 2500,
    duration_seconds: 95,
    step_counts: stepCounts({ succeeded: 3, failed: 1, cancelled: 1 }),
  });
  const failedSteps: StepView[] = [
    aStep({ id: 's-p1', item_id: 'p-1', item_title: 'Strumming', project_position: 0 }),
    aTasksStep({
      id: 's-l1',
      item_id: 'l-1',
      item_title: 'Chords',
      parent_item_id: 'p-1',
      lesson_position: 0,
      status: 'failed',
      attempts: 2,
      attempt_history: [
        {
          attempt: 1,
          started_at: '2024-01-13T10:31:00Z',
          finished_at: '2024-01-13T10:31:02Z',
          outcome: 'retrying',
          error_kind: 'transient',
          error_message: 'Timed out',
        },
        {
          attempt: 2,
          started_at: '2024-01-13T10:31:03Z',
          finished_at: '2024-01-13T10:31:05Z',
          outcome: 'failed',
          error_kind: 'invalid_output',
          error_message: 'The model returned no tasks',
        },
      ],
      error_kind: 'invalid_output',
      error_message: 'The model returned no tasks',
    }),
    aTasksStep({
      id: 's-l2',
      item_id: 'l-2',
      item_title: 'Rhythm',
      parent_item_id: 'p-1',
      lesson_position: 1,
      status: 'cancelled',
      attempts: 0,
    }),
  ];

  const load = (job: JobView = failedJob, steps: StepView[] = failedSteps): void => {
    http.expectOne(isDetail).flush(
      aJobDetail(job, [aLogEntry({ message: 'Starting course generation job' })], {
        logs_cursor: 'c1',
        logs_more: false,
      }),
    );
    http.expectOne(`${JOB}/steps`).flush({ steps });
    render();
  };

  beforeEach(() => {
    confirmAnswer = true;
    asked = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PAGE_VISIBLE, useValue: new BehaviorSubject(true) },
        {
          provide: MatDialog,
          useValue: {
            open: (_: unknown, config: { data: ConfirmData }) => {
              asked.push(config.data);
              return { afterClosed: () => of(confirmAnswer) };
            },
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(JobPage);
    fixture.componentRef.setInput('jobId', 'job-1');
    render();
  });

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  describe('when the job failed', () => {
    it('shows the header: course link, Failed badge, tokens, duration and the failed step', () => {
      expect(byTestId('job-page-loading')).not.toBeNull();
      load();
      expect(text(byTestId('job-page-title'))).toBe('Guitar Basics');
      expect(text(byTestId('job-type'))).toBe('Course generation');
      expect(byTestId('job-instructions')).toBeNull();
      expect(byTestId('job-page-title')?.getAttribute('href')).toBe('/courses/c-guitar');
      expect(text(byTestId('job-status'))).toBe('Failed');
      expect(byTestId('job-status')?.classList).toContain('badge-red');
      expect(text(byTestId('job-tokens'))).toBe('3,500');
      expect(text(byTestId('job-cost'))).toBe('$0.00');
      expect(text(byTestId('job-duration'))).toBe('1m 35s');
      expect(text(byTestId('job-failure'))).toBe(
        'Failed: Writing tasks: Could not generate the tasks of "Chords"',
      );
      expect(byTestId('job-retry')).not.toBeNull();
      expect(byTestId('job-cancel')).toBeNull();
      expect(byTestId('job-page-live')).toBeNull();
    });

    it('shows the tree in course order with the failed lesson’s error, without expanding anything', () => {
      load();
      const project = byTestId('step-project');
      expect(text(project?.querySelector('.node-title') ?? null)).toBe('Project 1: Strumming');
      const lessons = Array.from(el().querySelectorAll('[data-testid="step-lesson"]'));
      expect(lessons.map((l) => text(l.querySelector('.node-title')))).toEqual([
        'Lesson 1: Chords',
        'Lesson 2: Rhythm',
      ]);
      const chords = lessons[0];
      expect(text(byTestId('step-status', chords))).toBe('Failed');
      expect(byTestId('step-status', chords)?.classList).toContain('badge-red');
      expect(text(byTestId('step-attempts', chords))).toBe('2 attempts');
      expect(byTestId('step-attempts', chords)?.getAttribute('title')).toBe(
        '1: retrying (transient: Timed out) · 2: failed (invalid_output: The model returned no tasks)',
      );
      expect(text(byTestId('step-error', chords))).toBe('[invalid_output] The model returned no tasks');
      expect(text(byTestId('step-status', lessons[1]))).toBe('Cancelled');
      expect(byTestId('step-error', lessons[1])).toBeNull();
      const lessonsStep = project?.querySelector('[data-kind="lessons"]') ?? null;
      expect(text(byTestId('step-status', lessonsStep ?? el()))).toBe('Succeeded');
      expect(text(byTestId('step-duration', lessonsStep ?? el()))).toBe('4.2s');
      expect(text(byTestId('step-tokens', lessonsStep ?? el()))).toBe('1,200 tokens');
      expect(text(byTestId('step-cost', lessonsStep ?? el()))).toBe('$0.0021');
      expect(text(byTestId('step-model', lessonsStep ?? el()))).toBe('sample-1');
    });

    it('shows the log below the tree', () => {
      load();
      expect(text(byTestId('log-line'))).toContain('Starting course generation job');
    });

    it('asks before retrying, saying how many steps run again, then retries', async () => {
      load();
      byTestId('job-retry')?.click();
      await settle();
      expect(asked).toHaveLength(1);
      expect(asked[0].message).toContain('2 steps will run again');
      http.expectOne({ method: 'POST', url: `${JOB}/retry` }).flush({ success: true });
      http
        .expectOne(isDetail)
        .flush(aJobDetail(aJob({ status: 'pending', retry_count: 1 }), [], { logs_cursor: 'c1' }));
      http.expectOne(`${JOB}/steps`).flush({ steps: [] });
      render();
      expect(text(byTestId('job-status'))).toBe('Queued');
      expect(text(byTestId('job-run-note'))).toBe('Run 2: steps already done in run 1 are not repeated.');
      expect(byTestId('job-page-live')).not.toBeNull();
    });

    it('does not retry when the confirmation is declined', async () => {
      load();
      confirmAnswer = false;
      byTestId('job-retry')?.click();
      await settle();
      http.expectNone(`${JOB}/retry`);
    });
  });

  describe('when the job is running', () => {
    it('offers Cancel and says it refreshes', () => {
      load(aJob({ status: 'generating_tasks', current_step: 'tasks', items_completed: 1, items_total: 4 }), [
        aTasksStep({ status: 'running' }),
      ]);
      expect(byTestId('job-cancel')).not.toBeNull();
      expect(byTestId('job-retry')).toBeNull();
      expect(text(byTestId('job-progress'))).toBe('1/4 lessons');
      expect(byTestId('job-page-live')).not.toBeNull();
      expect(text(byTestId('step-status'))).toBe('Running');
    });
  });

  describe('when the job paused at its cost cap', () => {
    const paused = aJob({
      status: 'paused',
      cost_usd: 0.21,
      max_cost_usd: 0.2,
      pause_reason: 'Reached its cost cap of $0.20 ($0.21 spent)',
    });

    it('shows the amber Paused badge, the reason and the cap, with Resume and Cancel', () => {
      load(paused, [aStep({ status: 'succeeded' })]);
      expect(text(byTestId('job-status'))).toBe('Paused');
      expect(byTestId('job-status')?.classList).toContain('badge-amber');
      expect(text(byTestId('job-pause-reason'))).toBe(
        'Paused: Reached its cost cap of $0.20 ($0.21 spent) Cost cap: $0.20',
      );
      expect(byTestId('job-resume')).not.toBeNull();
      expect(byTestId('job-cancel')).not.toBeNull();
      expect(byTestId('job-retry')).toBeNull();
    });

    it('Resume opens the dialog; resuming posts the new cap and shows the new run', () => {
      load(paused, [aStep({ status: 'succeeded' })]);
      byTestId('job-resume')?.click();
      const data = asked.at(-1) as unknown as ResumeDialogData;
      expect(data.job.pause_reason).toBe('Reached its cost cap of $0.20 ($0.21 spent)');
      data.resume(2).subscribe();
      const request = http.expectOne({ method: 'POST', url: `${JOB}/resume` });
      expect(request.request.body).toEqual({ max_cost_usd: 2 });
      request.flush({ success: true });
      http
        .expectOne(isDetail)
        .flush(
          aJobDetail(aJob({ status: 'pending', retry_count: 1, max_cost_usd: 2 }), [], { logs_cursor: 'c1' }),
        );
      http.expectOne(`${JOB}/steps`).flush({ steps: [] });
      render();
      expect(text(byTestId('job-status'))).toBe('Queued');
      expect(byTestId('job-pause-reason')).toBeNull();
      expect(byTestId('job-resume')).toBeNull();
    });
  });

  describe('when the job regenerates part of a course', () => {
    it('says which part and shows the instructions under the title', () => {
      load(aRegenerationJob({ id: 'job-1' }), [aTasksStep({ status: 'running' })]);
      expect(text(byTestId('job-type'))).toBe('Regeneration: tasks of “Understanding Game Mechanics”');
      expect(text(byTestId('job-instructions'))).toBe('Instructions: More hands-on');
    });
  });

  describe('when the job does not exist', () => {
    it('says so', () => {
      http
        .expectOne(isDetail)
        .flush(
          { statusCode: 404, message: 'Job not found', error: 'Not Found' },
          { status: 404, statusText: 'Not Found' },
        );
      render();
      expect(text(byTestId('job-page-error'))).toContain('Job not found');
    });
  });
});
