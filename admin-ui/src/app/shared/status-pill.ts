import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CourseStatus } from '@contracts/api';

import { COURSE_STATUS_LABELS } from './status-labels';

/** The badge colours, one set for the whole console (shared/status-badges.scss). */
export type BadgeTone = 'grey' | 'blue' | 'purple' | 'green' | 'red' | 'amber';

export interface StatusBadge {
  readonly label: string;
  readonly tone: BadgeTone;
}

const COURSE_TONES: Record<CourseStatus, BadgeTone> = {
  draft: 'grey',
  generating: 'blue',
  ready: 'purple',
  published: 'green',
  archived: 'grey',
};

/** A course's status as a pill: generating blue, ready (held for review) purple, published green. */
export function courseStatusBadge(status: CourseStatus): StatusBadge {
  return { label: COURSE_STATUS_LABELS[status] ?? status, tone: COURSE_TONES[status] ?? 'grey' };
}

/**
 * A status pill: `<cl-status-pill [badge]="…" />`. Every pill of the console uses these colours; pages that style
 * a bare `<span class="badge badge-<tone>">` (the dashboard's table) include status-badges.scss instead.
 */
@Component({
  selector: 'cl-status-pill',
  template: `<span [class]="'badge badge-' + badge().tone">{{ badge().label }}</span>`,
  styleUrl: './status-badges.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusPill {
  readonly badge = input.required<StatusBadge>();
}
