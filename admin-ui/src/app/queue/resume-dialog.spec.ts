import { HttpErrorResponse } from '@angular/common/http';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { Subject, of, throwError } from 'rxjs';

import { ResumeDialog, type ResumeDialogData } from './resume-dialog';

describe('ResumeDialog', () => {
  let fixture: ComponentFixture<ResumeDialog>;
  let close: ReturnType<typeof vi.fn>;
  let resume: ReturnType<typeof vi.fn<ResumeDialogData['resume']>>;

  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
    el().querySelector<T>(`[data-testid="${id}"]`);
  const text = (id: string): string => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const open = (job: Partial<ResumeDialogData['job']> = {}): void => {
    const data: ResumeDialogData = {
      job: {
        course_title: 'Candle Making',
        cost_usd: 0.21,
        unpriced_calls: 0,
        max_cost_usd: 0.2,
        pause_reason: 'Reached its cost cap of $0.20 ($0.21 spent)',
        ...job,
      },
      resume,
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    fixture = TestBed.createComponent(ResumeDialog);
    fixture.detectChanges();
  };
  const typeCap = (value: string): void => {
    const input = byTestId<HTMLInputElement>('resume-cap') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  /** Lets the resume promise settle, then renders. */
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };
  const refuse = (status: number, message: string): void => {
    resume.mockReturnValue(
      throwError(() => new HttpErrorResponse({ status, error: { statusCode: status, message } })),
    );
  };

  beforeEach(() => {
    close = vi.fn();
    resume = vi.fn<ResumeDialogData['resume']>().mockReturnValue(of({ success: true }));
  });

  it('shows why the job paused, its cap and what it has spent', () => {
    open();
    expect(text('resume-title')).toBe('Resume “Candle Making”?');
    expect(text('resume-reason')).toBe('Reached its cost cap of $0.20 ($0.21 spent)');
    expect(text('resume-facts')).toBe('Cost cap: $0.20 · spent so far: $0.2100');
  });

  it('says "none" for a job without a cap (paused at the monthly budget)', () => {
    open({ max_cost_usd: null, pause_reason: "The organization's monthly model budget of $5.00 is used up" });
    expect(text('resume-facts')).toContain('Cost cap: none');
  });

  it('resumes with the current cap when no new one is typed, then closes', async () => {
    open();
    byTestId('resume-submit')?.click();
    await settle();
    expect(resume).toHaveBeenCalledWith(undefined);
    expect(close).toHaveBeenCalledWith(true);
  });

  it('resumes with a higher cap', () => {
    open();
    typeCap('1.50');
    byTestId('resume-submit')?.click();
    expect(resume).toHaveBeenCalledWith(1.5);
  });

  it('refuses a new cap that is not above the spend before asking the API', () => {
    open();
    typeCap('0.21');
    expect(text('resume-cap-error')).toBe('Enter more than what the job has spent ($0.2100)');
    expect(byTestId<HTMLButtonElement>('resume-submit')?.disabled).toBe(true);
  });

  it('stays open and disabled while the request runs', () => {
    open();
    const pending = new Subject<unknown>();
    resume.mockReturnValue(pending);
    byTestId('resume-submit')?.click();
    fixture.detectChanges();
    expect(byTestId<HTMLButtonElement>('resume-submit')?.disabled).toBe(true);
    expect(close).not.toHaveBeenCalled();
  });

  it('shows a 409 from the API and stays open', async () => {
    open();
    refuse(409, 'The job is not paused');
    byTestId('resume-submit')?.click();
    await settle();
    expect(close).not.toHaveBeenCalled();
    expect(text('resume-error')).toBe('The job is not paused');
    expect(byTestId('resume-budget-link')).toBeNull();
    expect(byTestId<HTMLButtonElement>('resume-submit')?.disabled).toBe(false);
  });

  it('shows a 402 naming the monthly budget, with a link to Settings', async () => {
    open();
    const message = "The organization's monthly model budget of $0.50 is used up ($0.51 spent in 2026-11)";
    refuse(402, message);
    byTestId('resume-submit')?.click();
    await settle();
    expect(text('resume-error')).toContain(message);
    expect(byTestId('resume-budget-link')?.getAttribute('href')).toBe('/settings');
  });
});
