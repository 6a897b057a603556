import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { QUALITY_CHECKS, type QualityCheck, type QualityProblem, type QualityReport } from '@contracts/api';

import { relativeTime } from '../shared/format';

/** Each check's heading in the report (docs/generation.md, "Quality gate"). */
export const QUALITY_CHECK_LABELS: Record<QualityCheck, string> = {
  counts: 'Missing parts',
  duplicate_titles: 'Near-duplicate titles',
  placeholders: 'Placeholders',
  markdown: 'Markdown that does not render',
  language: 'Not in the course language',
};

const KIND_LABELS: Record<NonNullable<QualityProblem['item_kind']>, string> = {
  course: 'Course',
  project: 'Project',
  lesson: 'Lesson',
  task: 'Task',
};

interface ProblemGroup {
  check: QualityCheck;
  label: string;
  problems: QualityProblem[];
}

/**
 * The quality gate's report on a course page: problems grouped by check, each naming its item. A failed report is
 * why an auto-published course was held for review; it stays as history once the course is published by hand.
 */
@Component({
  selector: 'cl-quality-report',
  template: `
    <section class="quality" aria-labelledby="quality-heading" data-testid="quality-report">
      <h2 id="quality-heading" data-testid="quality-heading">{{ heading() }}</h2>
      <p class="hint">
        Checked {{ checkedAgo() }}.
        @if (report().problems_total > report().problems.length) {
          Showing {{ report().problems.length }} of {{ report().problems_total }} problems.
        }
      </p>
      @for (group of groups(); track group.check) {
        <h3 [attr.data-testid]="'quality-check-' + group.check">
          {{ group.label }} ({{ group.problems.length }})
        </h3>
        <ul>
          @for (problem of group.problems; track $index) {
            <li [class]="'severity-' + problem.severity" data-testid="quality-problem">
              @if (problem.item_title) {
                <strong>{{ kindLabel(problem) }} “{{ problem.item_title }}”</strong> —
              }
              {{ problem.message }}
              @if (problem.severity === 'warning') {
                <span class="warning-tag">(warning)</span>
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    .quality {
      margin: 8px 0 16px;
      padding: 8px 16px;
      border: 1px solid #fcd34d;
      border-radius: 6px;
    }
    .quality h3 {
      margin: 8px 0 4px;
      font-size: 14px;
    }
    .quality ul {
      margin: 0;
      padding-left: 20px;
    }
    .severity-warning,
    .warning-tag {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QualityReportPanel {
  readonly report = input.required<QualityReport>();
  /** Whether the course has been published (by hand, after a failed gate, or by the gate itself). */
  readonly published = input(false);

  protected readonly heading = computed(() => {
    const report = this.report();
    if (report.passed) {
      return report.problems.length ? 'Quality gate passed, with warnings' : 'Quality gate passed';
    }
    return this.published()
      ? 'Quality gate report (held for review, then published by hand)'
      : 'Held for review by the quality gate';
  });

  protected readonly checkedAgo = computed(() => relativeTime(this.report().checked_at));

  protected readonly groups = computed<ProblemGroup[]>(() =>
    QUALITY_CHECKS.map((check) => ({
      check,
      label: QUALITY_CHECK_LABELS[check],
      problems: this.report().problems.filter((p) => p.check === check),
    })).filter((g) => g.problems.length > 0),
  );

  protected kindLabel(problem: QualityProblem): string {
    return problem.item_kind ? KIND_LABELS[problem.item_kind] : '';
  }
}
