import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { EMPTY, distinctUntilChanged, fromEvent, interval, map, startWith, switchMap } from 'rxjs';

import { ApiHealth, HealthApi } from './health-api';

/** How often the toolbar re-checks the API while the tab is visible. */
export const HEALTH_POLL_MS = 30_000;

@Component({
  selector: 'cl-health-indicator',
  // A styled status pill rather than mat-chip: MatChips (and the form-field code it pulls in) would
  // be the largest part of the initial bundle for one read-only label.
  template: `
    <span
      class="pill"
      role="status"
      aria-label="API health"
      data-testid="api-health"
      [class.health-ok]="health() === 'ok'"
      [class.health-degraded]="health() === 'degraded'"
      >{{ label() }}</span
    >
  `,
  styles: `
    .pill {
      display: inline-flex;
      align-items: center;
      height: 28px;
      padding: 0 12px;
      border-radius: 8px;
      font: var(--mat-sys-label-large);
      background: var(--mat-sys-surface-container-low);
      color: var(--mat-sys-on-surface);
    }
    .health-ok {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .health-degraded {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HealthIndicator {
  private readonly api = inject(HealthApi);
  private readonly document = inject(DOCUMENT);

  /**
   * Checks at once, then every HEALTH_POLL_MS while the tab is visible; stops while it is hidden.
   * switchMap: a slow answer is dropped rather than overlapped by the next check.
   */
  protected readonly health = toSignal<ApiHealth | undefined>(
    fromEvent(this.document, 'visibilitychange').pipe(
      map(() => !this.document.hidden),
      startWith(!this.document.hidden),
      distinctUntilChanged(),
      switchMap((visible) =>
        visible
          ? interval(HEALTH_POLL_MS).pipe(
              startWith(0),
              switchMap(() => this.api.check()),
            )
          : EMPTY,
      ),
    ),
    { initialValue: undefined },
  );

  protected readonly label = computed(() => {
    switch (this.health()) {
      case 'ok':
        return 'API ok';
      case 'degraded':
        return 'API degraded';
      default:
        return 'API …';
    }
  });
}
