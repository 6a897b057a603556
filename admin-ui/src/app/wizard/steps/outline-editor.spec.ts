import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { anOutline } from '../../testing/builders';
import { WizardStore } from '../wizard-store';
import { OutlineEditor } from './outline-editor';

const GEN = '/api/admin/curriculum/generate';

describe('OutlineEditor', () => {
  it('edits the draft through the store: title, reorder, remove, add', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), WizardStore],
    });
    const store = TestBed.inject(WizardStore);
    store.generateOutlines({ topic: 'Board games' });
    TestBed.inject(HttpTestingController)
      .expectOne(`${GEN}/outlines`)
      .flush({ outlines: [anOutline('A', 2)], provider: { name: 'sample', model: 's', sample: true } });
    store.select(0);
    const fixture = TestBed.createComponent(OutlineEditor);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const byTestId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
    const [first, second] = store.draft()?.projects.map((p) => p.title) ?? [];

    byTestId('draft-title').value = 'My course';
    byTestId('draft-title').dispatchEvent(new Event('input'));
    byTestId('draft-project-down-0').click();
    fixture.detectChanges();
    expect(store.draft()?.title).toBe('My course');
    expect(store.draft()?.projects.map((p) => p.title)).toEqual([second, first]);
    expect(byTestId('draft-project-up-1').getAttribute('aria-label')).toBe('Move up, project 2');

    byTestId('draft-project-remove-0').click();
    byTestId('draft-add-project').click();
    fixture.detectChanges();
    expect(store.draft()?.projects.map((p) => p.title)).toEqual([first, '']);
    expect(store.canApprove()).toBe(false);
  });
});
