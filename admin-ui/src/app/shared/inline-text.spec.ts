import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { InlineText } from './inline-text';

@Component({
  imports: [InlineText],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<cl-inline-text
    [value]="value()"
    label="task instructions"
    testId="t"
    [markdown]="true"
    (save)="saved.set($event)"
  />`,
})
class Host {
  readonly value = signal('1. **Roll**\n2. Move');
  readonly saved = signal<string | null>(null);
}

describe('InlineText', () => {
  describe('with markdown', () => {
    it('shows the text rendered, and edits its source beside a live preview', () => {
      const fixture = TestBed.createComponent(Host);
      fixture.detectChanges();
      const el = fixture.nativeElement as HTMLElement;
      const byTestId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;

      expect(byTestId('t').querySelectorAll('ol > li')).toHaveLength(2);
      expect(byTestId('t').textContent).not.toContain('**');
      expect(byTestId('t-edit').getAttribute('aria-label')).toBe('Edit task instructions');

      byTestId('t-edit').click();
      fixture.detectChanges();
      const source = byTestId('t-input') as HTMLTextAreaElement;
      expect(source.value).toBe('1. **Roll**\n2. Move');
      source.value = '## Play\n\n`roll()`';
      source.dispatchEvent(new Event('input'));
      fixture.detectChanges();
      expect(byTestId('t-preview').querySelector('h2')?.textContent).toBe('Play');
      expect(byTestId('t-preview').querySelector('code')?.textContent).toBe('roll()');

      byTestId('t-save').click();
      expect(fixture.componentInstance.saved()).toBe('## Play\n\n`roll()`');
    });
  });
});
