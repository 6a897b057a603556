import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { anOutline } from '../../testing/builders';
import { WizardStore } from '../wizard-store';
import { ProposalsStep } from './proposals-step';

const GEN = '/api/admin/curriculum/generate';

describe('ProposalsStep', () => {
  let fixture: ComponentFixture<ProposalsStep>;
  let store: WizardStore;

  const card = (i: number): HTMLElement =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="proposal-card-${i}"]`) as HTMLElement;
  const press = (target: HTMLElement, key: string): void => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    fixture.detectChanges();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), WizardStore],
    });
    store = TestBed.inject(WizardStore);
    store.generateOutlines({ topic: 'Board games', project_count: 3 });
    TestBed.inject(HttpTestingController)
      .expectOne(`${GEN}/outlines`)
      .flush({
        outlines: [anOutline('A'), anOutline('B'), anOutline('C')],
        provider: { name: 'sample', model: 'sample-1', sample: true },
      });
    fixture = TestBed.createComponent(ProposalsStep);
    fixture.detectChanges();
  });

  it('is a radio group with one tab stop and a name for each proposal', () => {
    const group = (fixture.nativeElement as HTMLElement).querySelector('[role="radiogroup"]');
    expect(group?.getAttribute('aria-labelledby')).toBe('proposals-heading');
    expect([0, 1, 2].map((i) => card(i).getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);
    expect(card(1).getAttribute('role')).toBe('radio');
    expect(card(1).getAttribute('aria-label')).toBe('B, 3 projects');
    expect(card(1).getAttribute('aria-checked')).toBe('false');
  });

  describe('when operated by keyboard', () => {
    it('Space selects the focused proposal', () => {
      press(card(0), ' ');
      expect(store.selected()).toBe(0);
      expect(card(0).getAttribute('aria-checked')).toBe('true');
    });

    it('arrow keys move the selection and the focus, wrapping at the ends', () => {
      card(0).focus();
      press(card(0), 'ArrowDown');
      expect(store.selected()).toBe(1);
      expect(document.activeElement).toBe(card(1));
      expect(card(1).getAttribute('tabindex')).toBe('0');
      press(card(1), 'ArrowRight');
      press(card(2), 'ArrowRight');
      expect(store.selected()).toBe(0);
      press(card(0), 'ArrowUp');
      expect(store.selected()).toBe(2);
      expect(store.draft()?.title).toBe('C');
    });

    it('ignores other keys', () => {
      press(card(0), 'a');
      expect(store.selected()).toBeNull();
    });
  });
});
