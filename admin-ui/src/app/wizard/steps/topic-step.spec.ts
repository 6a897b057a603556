import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { anOutline } from '../../testing/builders';
import { WizardStore } from '../wizard-store';
import { TopicStep } from './topic-step';

const GEN = '/api/admin/curriculum/generate';

describe('TopicStep', () => {
  let store: WizardStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), WizardStore],
    });
    store = TestBed.inject(WizardStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  const render = () => {
    const fixture = TestBed.createComponent(TopicStep);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const input = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
    return { fixture, el, input };
  };

  it('sends the typed topic, trimmed, through the store', () => {
    const { fixture, input } = render();
    input('wizard-topic').value = '  Board games ';
    input('wizard-topic').dispatchEvent(new Event('input'));
    fixture.detectChanges();
    input('generate-outlines').click();
    const request = http.expectOne(`${GEN}/outlines`);
    expect(request.request.body).toEqual({
      topic: 'Board games',
      level: 'beginner',
      language: 'en',
      project_count: 5,
    });
    expect(store.busy()).toBe('outlines');
    request.flush({ outlines: [anOutline()], provider: { name: 'sample', model: 's', sample: true } });
  });

  it('starts from the last request, so Back keeps what was typed', () => {
    store.generateOutlines({
      topic: 'Chess',
      audience: 'kids',
      level: 'advanced',
      language: 'fr',
      project_count: 2,
    });
    http
      .expectOne(`${GEN}/outlines`)
      .flush({ outlines: [anOutline()], provider: { name: 'sample', model: 's', sample: true } });
    store.editTopic();
    const { input } = render();
    expect(input('wizard-topic').value).toBe('Chess');
    expect(input('wizard-audience').value).toBe('kids');
    expect(input('wizard-language').value).toBe('fr');
    expect(input('wizard-project-count').value).toBe('2');
  });
});
