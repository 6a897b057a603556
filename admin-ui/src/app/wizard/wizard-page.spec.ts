import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, provideRouter } from '@angular/router';

import { SAMPLE_PROVIDER_TEXT } from '../shared/sample-provider-note';
import { anOutline } from '../testing/builders';
import { WizardPage } from './wizard-page';

const GEN = '/api/admin/curriculum/generate';

describe('WizardPage', () => {
  let fixture: ComponentFixture<WizardPage>;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn> };

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T =>
    el().querySelector(`[data-testid="${id}"]`) as T;
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (): void => fixture.detectChanges();
  const type = (id: string, value: string): void => {
    const input = byTestId<HTMLInputElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    render();
  };

  beforeEach(() => {
    snack = { open: vi.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snack },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WizardPage);
    render();
  });

  afterEach(() => http.verify());

  const toApprovedPanel = (): void => {
    type('wizard-topic', 'Board games');
    byTestId('generate-outlines').click();
    render();
    expect(byTestId('outlines-progress')).not.toBeNull();
    const request = http.expectOne(`${GEN}/outlines`);
    expect(request.request.body).toMatchObject({
      topic: 'Board games',
      level: 'beginner',
      language: 'en',
      project_count: 5,
    });
    request.flush({
      outlines: [anOutline('Build a Board Game from Scratch', 5), anOutline('Tabletop Design', 4)],
      provider: { name: 'sample', model: 'sample-1', sample: true },
    });
    render();
    expect(text('sample-provider-note')).toBe(SAMPLE_PROVIDER_TEXT);
    expect(byTestId('proposal-card-1')).not.toBeNull();
    expect(byTestId<HTMLButtonElement>('approve-outline').disabled).toBe(true);

    byTestId('proposal-card-0').click();
    render();
    expect(byTestId('proposal-card-0').getAttribute('aria-checked')).toBe('true');
    expect(byTestId<HTMLInputElement>('draft-title').value).toBe('Build a Board Game from Scratch');
    byTestId('approve-outline').click();
    http.expectOne(`${GEN}/outlines/approve`).flush({ course_id: 'course-1' });
    render();
    expect(text('estimate')).toContain('working it out');
    http.expectOne(`${GEN}/course-1/estimate`).flush({
      model_calls: 20,
      prompt_tokens: 40_000,
      completion_tokens: 8_000,
      cost_usd: null,
      minutes: 2,
      from_history: false,
    });
    render();
  };

  it('draws the approved panel as in the plan', () => {
    toApprovedPanel();
    expect(text('approved-panel')).toContain('Course Structure Approved');
    expect(text('approved-title')).toBe('“Build a Board Game from Scratch”');
    expect(text('approved-summary')).toBe('5 Projects | Ready for content generation');
    expect(text('generate-and-queue')).toContain('Generate & Queue (Recommended)');
    expect(text('generate-manually')).toContain('Generate Manually (Step by step)');
    expect(byTestId('auto-publish').querySelector<HTMLInputElement>('input[type=checkbox]')?.checked).toBe(
      true,
    );
    expect(text('auto-publish')).toBe('Auto-publish when complete');
  });

  it('Generate & Queue: queues, toasts "Course queued for generation" and opens the queue dashboard', () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    toApprovedPanel();
    byTestId('auto-publish').querySelector<HTMLInputElement>('input[type=checkbox]')?.click();
    render();
    byTestId('generate-and-queue').click();
    const request = http.expectOne(`${GEN}/course-1/queue`);
    expect(request.request.body).toEqual({ auto_publish: false });
    request.flush({ success: true, job_id: 'job-1' });
    expect(snack.open).toHaveBeenCalledWith('Course queued for generation', undefined, { duration: 5000 });
    expect(navigate).toHaveBeenCalledWith('/course-generation-queue');
  });

  it('shows the estimate next to Generate & Queue, "cost unknown" for an unknown price', () => {
    toApprovedPanel();
    expect(text('estimate-figures')).toBe('≈ 20 model calls · ≈ 48k tokens · cost unknown · ≈ 2 min');
    expect(text('estimate-source')).toBe('(rough: no history yet)');
  });

  it('sends the optional cost cap, and blocks Generate & Queue while the cap is not an amount', () => {
    vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    toApprovedPanel();
    type('cost-cap', 'lots');
    expect(text('cost-cap-error')).toBe('Enter an amount in USD, e.g. 2.50');
    expect(byTestId<HTMLButtonElement>('generate-and-queue').disabled).toBe(true);
    type('cost-cap', '1.5');
    expect(byTestId<HTMLButtonElement>('generate-and-queue').disabled).toBe(false);
    byTestId('generate-and-queue').click();
    const request = http.expectOne(`${GEN}/course-1/queue`);
    expect(request.request.body).toEqual({ auto_publish: true, max_cost_usd: 1.5 });
    request.flush({ success: true, job_id: 'job-1' });
  });

  it('a 402 on Generate & Queue shows the budget message and a link to Settings', () => {
    toApprovedPanel();
    byTestId('generate-and-queue').click();
    const message = "The organization's monthly model budget of $0.50 is used up ($0.51 spent in 2026-11)";
    http
      .expectOne(`${GEN}/course-1/queue`)
      .flush({ statusCode: 402, message }, { status: 402, statusText: 'Payment Required' });
    render();
    expect(text('wizard-error')).toContain(message);
    expect(byTestId('wizard-budget-link').getAttribute('href')).toBe('/settings');
    expect(byTestId('approved-panel')).not.toBeNull();
  });

  it('Generate Manually continues with the lessons step', () => {
    toApprovedPanel();
    byTestId('generate-manually').click();
    render();
    expect(byTestId('manual-step-lessons')).not.toBeNull();
    expect(byTestId('generate-lessons')).not.toBeNull();
  });
});
