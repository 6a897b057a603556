import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { QualityReport } from '@contracts/api';

import { QualityReportPanel } from './quality-report';

const HELD: QualityReport = {
  passed: false,
  checked_at: '2030-01-02T03:04:05.000Z',
  problems: [
    {
      check: 'duplicate_titles',
      severity: 'error',
      item_kind: 'lesson',
      item_id: 'lesson-2',
      item_title: 'Intro to bees!',
      message: '"Intro to bees!" repeats the title of its sibling lesson "Intro to Bees"',
    },
    {
      check: 'placeholders',
      severity: 'warning',
      item_kind: 'project',
      item_id: 'project-1',
      item_title: 'Project 1',
      message: 'The title "Project 1" is only a number',
    },
    {
      check: 'duplicate_titles',
      severity: 'error',
      item_kind: 'task',
      item_id: 'task-9',
      item_title: 'Draw a frame.',
      message: '"Draw a frame." repeats the title of its sibling task "Draw a frame"',
    },
    { check: 'counts', severity: 'error', item_kind: 'course', message: 'The course has no projects' },
  ],
  problems_total: 4,
};

describe('QualityReportPanel', () => {
  let fixture: ComponentFixture<QualityReportPanel>;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = (selector: string): string[] =>
    [...el().querySelectorAll(selector)].map((n) => n.textContent!.replace(/\s+/g, ' ').trim());
  const show = (report: QualityReport, published = false): void => {
    fixture = TestBed.createComponent(QualityReportPanel);
    fixture.componentRef.setInput('report', report);
    fixture.componentRef.setInput('published', published);
    fixture.detectChanges();
  };

  it('says the course is held for review by the quality gate', () => {
    show(HELD);
    expect(text('[data-testid="quality-heading"]')).toEqual(['Held for review by the quality gate']);
  });

  it('groups problems by check, in check order, each naming its item', () => {
    show(HELD);
    expect(text('h3')).toEqual(['Missing parts (1)', 'Near-duplicate titles (2)', 'Placeholders (1)']);
    expect(text('[data-testid="quality-problem"]')).toEqual([
      'The course has no projects',
      'Lesson “Intro to bees!” — "Intro to bees!" repeats the title of its sibling lesson "Intro to Bees"',
      'Task “Draw a frame.” — "Draw a frame." repeats the title of its sibling task "Draw a frame"',
      'Project “Project 1” — The title "Project 1" is only a number (warning)',
    ]);
  });

  it('says so when a held course was published by hand afterwards', () => {
    show(HELD, true);
    expect(text('[data-testid="quality-heading"]')).toEqual([
      'Quality gate report (held for review, then published by hand)',
    ]);
  });

  it('says how many problems the list leaves out', () => {
    show({ ...HELD, problems_total: 250 });
    expect(el().textContent).toContain('Showing 4 of 250 problems.');
  });

  it('shows a passed report with its warnings', () => {
    show({ ...HELD, passed: true, problems: [HELD.problems[1]], problems_total: 1 });
    expect(text('[data-testid="quality-heading"]')).toEqual(['Quality gate passed, with warnings']);
    expect(text('[data-testid="quality-problem"]')).toHaveLength(1);
  });
});
