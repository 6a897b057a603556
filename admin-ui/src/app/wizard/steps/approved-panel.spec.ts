import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, provideRouter } from '@angular/router';

import { anOutline } from '../../testing/builders';
import { WizardStore } from '../wizard-store';
import { ApprovedPanel } from './approved-panel';

const GEN = '/api/admin/curriculum/generate';

describe('ApprovedPanel', () => {
  let store: WizardStore;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    snack = { open: vi.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        WizardStore,
        { provide: MatSnackBar, useValue: snack },
      ],
    });
    store = TestBed.inject(WizardStore);
    http = TestBed.inject(HttpTestingController);
    store.generateOutlines({ topic: 'Board games' });
    http.expectOne(`${GEN}/outlines`).flush({
      outlines: [anOutline('Tabletop Design', 4)],
      provider: { name: 'sample', model: 's', sample: true },
    });
    store.select(0);
    store.approve();
    http.expectOne(`${GEN}/outlines/approve`).flush({ course_id: 'course-1' });
    http.expectOne(`${GEN}/course-1/estimate`).flush({}, { status: 500, statusText: 'Error' });
  });

  afterEach(() => http.verify());

  it('names the approved course and its projects', () => {
    const fixture = TestBed.createComponent(ApprovedPanel);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="approved-title"]')?.textContent).toBe('“Tabletop Design”');
    expect(el.querySelector('[data-testid="approved-summary"]')?.textContent?.trim()).toBe(
      '4 Projects | Ready for content generation',
    );
  });

  it('Generate & Queue toasts and opens the dashboard only once the job exists', () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(ApprovedPanel);
    fixture.detectChanges();
    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="generate-and-queue"]')
      ?.click();
    expect(navigate).not.toHaveBeenCalled();
    http.expectOne(`${GEN}/course-1/queue`).flush({ success: true, job_id: 'job-1' });
    expect(snack.open).toHaveBeenCalledWith('Course queued for generation', undefined, { duration: 5000 });
    expect(navigate).toHaveBeenCalledWith('/course-generation-queue');
  });
});
