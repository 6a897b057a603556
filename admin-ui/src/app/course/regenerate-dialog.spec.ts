import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { REGENERATION_INSTRUCTIONS_MAX, type GenerationEstimate } from '@contracts/api';

import { RegenerateDialog, type RegenerateDialogData, expectedModelCalls } from './regenerate-dialog';

const REGENERATE = '/api/admin/curriculum/generate/course-1/regenerate';
const ESTIMATE: GenerationEstimate = {
  model_calls: 1,
  prompt_tokens: 1_800,
  completion_tokens: 700,
  cost_usd: 0.0004,
  minutes: 0.1,
  from_history: true,
};

describe('RegenerateDialog', () => {
  let fixture: ComponentFixture<RegenerateDialog>;
  let http: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
    el().querySelector<T>(`[data-testid="${id}"]`);
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  /** Opens the dialog and answers its estimate request (`null`: leaves it to the test). */
  const open = async (
    data: Partial<RegenerateDialogData> = {},
    estimate: GenerationEstimate | null = ESTIMATE,
  ): Promise<void> => {
    const dialogData: RegenerateDialogData = {
      courseId: 'course-1',
      target: 'lesson_tasks',
      itemId: 'lesson-1',
      itemTitle: 'Understanding Game Mechanics',
      lessonCount: 0,
      ...data,
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MAT_DIALOG_DATA, useValue: dialogData },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RegenerateDialog);
    fixture.detectChanges();
    if (estimate) {
      answerEstimate(dialogData).flush(estimate);
      await settle();
    }
  };
  /** Lets a request's promise settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };
  const answerEstimate = (data: Pick<RegenerateDialogData, 'target' | 'itemId'>) =>
    http.expectOne(
      `/api/admin/curriculum/generate/course-1/estimate?target=${data.target}&id=${data.itemId}`,
    );
  const type = (value: string): void => {
    const textarea = byTestId<HTMLTextAreaElement>('regenerate-instructions') as HTMLTextAreaElement;
    textarea.value = value;
    textarea.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };

  beforeEach(() => {
    close = vi.fn();
  });

  afterEach(() => http.verify());

  describe('for a lesson’s tasks', () => {
    it('names the lesson, expects one model call and counts the instructions up to the limit', async () => {
      await open();
      expect(text('regenerate-title')).toBe('Regenerate the tasks of “Understanding Game Mechanics”');
      expect(text('regenerate-calls')).toBe('Expected model calls: 1');
      expect(text('regenerate-counter')).toBe(`0 / ${REGENERATION_INSTRUCTIONS_MAX}`);
      type('More hands-on');
      expect(text('regenerate-counter')).toBe(`13 / ${REGENERATION_INSTRUCTIONS_MAX}`);
      expect(byTestId('regenerate-instructions')?.getAttribute('maxlength')).toBe(
        String(REGENERATION_INSTRUCTIONS_MAX),
      );
    });

    it('queues the job with the trimmed instructions and closes with its id', async () => {
      await open();
      type('  More hands-on, fewer definitions  ');
      byTestId('regenerate-submit')?.click();
      const request = http.expectOne({ method: 'POST', url: REGENERATE });
      expect(request.request.body).toEqual({
        target: 'lesson_tasks',
        id: 'lesson-1',
        instructions: 'More hands-on, fewer definitions',
      });
      request.flush({ success: true, job_id: 'job-9' });
      await settle();
      expect(close).toHaveBeenCalledWith('job-9');
    });

    it('sends no instructions when none were given', async () => {
      await open();
      byTestId('regenerate-submit')?.click();
      const request = http.expectOne({ method: 'POST', url: REGENERATE });
      expect(request.request.body).toEqual({ target: 'lesson_tasks', id: 'lesson-1' });
      request.flush({ success: true, job_id: 'job-9' });
    });

    it('refuses instructions over the limit', async () => {
      await open();
      type('x'.repeat(REGENERATION_INSTRUCTIONS_MAX + 1));
      expect(byTestId<HTMLButtonElement>('regenerate-submit')?.disabled).toBe(true);
    });
  });

  describe('its estimate and cost cap', () => {
    it('shows the server’s estimate for the part', async () => {
      await open();
      expect(text('estimate-figures')).toBe('≈ 1 model call · ≈ 2.5k tokens · ≈ < $0.01 · < 1 min');
      expect(text('estimate-source')).toBe('(from earlier runs)');
    });

    it('asks for the estimate of the project’s lessons, and says so when it is not available', async () => {
      await open({ target: 'project_lessons', itemId: 'project-1' }, null);
      expect(text('estimate')).toContain('working it out');
      answerEstimate({ target: 'project_lessons', itemId: 'project-1' }).flush(
        { statusCode: 404, message: 'Project not found' },
        { status: 404, statusText: 'Not Found' },
      );
      await settle();
      expect(text('estimate-error')).toBe('not available (Project not found)');
    });

    it('sends the optional cost cap as max_cost_usd', async () => {
      await open();
      const input = byTestId<HTMLInputElement>('regenerate-cost-cap') as HTMLInputElement;
      input.value = '0.25';
      input.dispatchEvent(new Event('input'));
      fixture.detectChanges();
      byTestId('regenerate-submit')?.click();
      const request = http.expectOne({ method: 'POST', url: REGENERATE });
      expect(request.request.body).toEqual({ target: 'lesson_tasks', id: 'lesson-1', max_cost_usd: 0.25 });
      request.flush({ success: true, job_id: 'job-9' });
    });

    it('refuses a cost cap that is not an amount', async () => {
      await open();
      const input = byTestId<HTMLInputElement>('regenerate-cost-cap') as HTMLInputElement;
      input.value = '-2';
      input.dispatchEvent(new Event('input'));
      fixture.detectChanges();
      expect(text('regenerate-cost-cap-error')).toBe('Enter an amount in USD, e.g. 2.50');
      expect(byTestId<HTMLButtonElement>('regenerate-submit')?.disabled).toBe(true);
    });
  });

  describe('when the monthly budget is used up (402)', () => {
    it('stays open with the message naming the budget and a link to Settings', async () => {
      await open();
      byTestId('regenerate-submit')?.click();
      const message = "The organization's monthly model budget of $0.50 is used up ($0.51 spent in 2026-11)";
      http
        .expectOne({ method: 'POST', url: REGENERATE })
        .flush({ statusCode: 402, message }, { status: 402, statusText: 'Payment Required' });
      await settle();
      expect(close).not.toHaveBeenCalled();
      expect(text('regenerate-error')).toContain(message);
      expect(byTestId('regenerate-budget-link')?.getAttribute('href')).toBe('/settings');
    });
  });

  describe('for a project’s lessons', () => {
    it('expects about one call for the lessons and one per lesson for their tasks', async () => {
      await open({
        target: 'project_lessons',
        itemId: 'project-1',
        itemTitle: 'Playtesting',
        lessonCount: 4,
      });
      expect(text('regenerate-title')).toBe('Regenerate the lessons of “Playtesting”');
      expect(text('regenerate-calls')).toBe(
        'Expected model calls: about 5 (1 for the lessons, then 1 for the tasks of each; the project has 4 lessons now)',
      );
    });
  });

  describe('when the course already has an active job (409)', () => {
    it('stays open with the message and a link to the running job', async () => {
      await open();
      byTestId('regenerate-submit')?.click();
      http.expectOne({ method: 'POST', url: REGENERATE }).flush(
        {
          statusCode: 409,
          message: 'The course already has an active job',
          error: 'Conflict',
          job_id: 'job-7',
        },
        { status: 409, statusText: 'Conflict' },
      );
      await settle();
      expect(close).not.toHaveBeenCalled();
      expect(text('regenerate-error')).toContain('The course already has an active job');
      expect(byTestId('regenerate-running-job')?.getAttribute('href')).toBe('/course-generation-queue/job-7');
      expect(byTestId<HTMLButtonElement>('regenerate-submit')?.disabled).toBe(false);
    });
  });

  describe('when the request is refused otherwise', () => {
    it('shows the API’s message without a job link', async () => {
      await open();
      byTestId('regenerate-submit')?.click();
      http
        .expectOne({ method: 'POST', url: REGENERATE })
        .flush(
          { statusCode: 400, message: ['instructions must be shorter'], error: 'Bad Request' },
          { status: 400, statusText: 'Bad Request' },
        );
      await settle();
      expect(text('regenerate-error')).toBe('instructions must be shorter');
      expect(byTestId('regenerate-running-job')).toBeNull();
    });
  });
});

describe('expectedModelCalls', () => {
  it('says "1 lesson" for a project with one lesson', () => {
    expect(expectedModelCalls('project_lessons', 1)).toContain('about 2 (');
    expect(expectedModelCalls('project_lessons', 1)).toContain('has 1 lesson now');
  });
});
