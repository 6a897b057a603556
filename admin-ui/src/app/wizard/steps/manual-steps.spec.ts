import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { aLesson, anOutline, aProject, aTask } from '../../testing/builders';
import { WizardStore } from '../wizard-store';
import { ManualSteps } from './manual-steps';

const GEN = '/api/admin/curriculum/generate';
const INSTRUCTIONS =
  '## Play\n\n1. Roll\n2. Move\n\n**Done when:** done.\n\n```\nroll()\n```\n\n<img src="x" onerror="alert(1)">';

describe('ManualSteps', () => {
  let store: WizardStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), WizardStore],
    });
    store = TestBed.inject(WizardStore);
    http = TestBed.inject(HttpTestingController);
    store.generateOutlines({ topic: 'Board games' });
    http.expectOne(`${GEN}/outlines`).flush({
      outlines: [anOutline()],
      provider: { name: 'sample', model: 's', sample: true },
    });
    store.select(0);
    store.approve();
    http.expectOne(`${GEN}/outlines/approve`).flush({ course_id: 'course-1' });
    http.expectOne(`${GEN}/course-1/estimate`).flush({}, { status: 500, statusText: 'Error' });
    store.startManual();
  });

  afterEach(() => http.verify());

  describe('on the tasks step', () => {
    it('renders each task’s instructions as sanitized Markdown with its code block', () => {
      store.generateLessons();
      http.expectOne(`${GEN}/course-1/lessons`).flush({ projects: [aProject()] });
      store.continueToTasks();
      store.generateTasks();
      http
        .expectOne(`${GEN}/course-1/tasks`)
        .flush({ lessons: [aLesson({ tasks: [aTask({ instructions: INSTRUCTIONS })] })] });

      const fixture = TestBed.createComponent(ManualSteps);
      fixture.detectChanges();
      const el = fixture.nativeElement as HTMLElement;
      expect(el.querySelector('h2')?.textContent).toBe('Step 2 of 3 · Generate tasks');
      const rendered = el.querySelector('[data-testid="review-task-instructions"]') as HTMLElement;
      expect(rendered.querySelector('h2')?.textContent).toBe('Play');
      expect(rendered.querySelectorAll('ol > li')).toHaveLength(2);
      expect(rendered.querySelector('strong')?.textContent).toBe('Done when:');
      expect(rendered.querySelector('pre > code')?.textContent).toBe('roll()\n');
      expect(rendered.textContent).not.toContain('**');
      expect(rendered.innerHTML).not.toContain('onerror');
    });
  });

  describe('on the lessons step', () => {
    it('offers each lesson’s content, rendered', () => {
      store.generateLessons();
      http
        .expectOne(`${GEN}/course-1/lessons`)
        .flush({ projects: [aProject({ lessons: [aLesson({ content: '# Rules\n\n- one' })] })] });
      const fixture = TestBed.createComponent(ManualSteps);
      fixture.detectChanges();
      const content = (fixture.nativeElement as HTMLElement).querySelector(
        '[data-testid="review-lesson-content"]',
      ) as HTMLElement;
      expect(content.querySelector('h1')?.textContent).toBe('Rules');
      expect(content.querySelector('ul > li')?.textContent).toBe('one');
    });
  });
});
