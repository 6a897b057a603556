import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { EMPTY, Subject, catchError, map, merge, of, switchMap, timer } from 'rxjs';

import { JobsApi } from '../queue/jobs-api';
import { PAGE_VISIBLE } from '../shared/page-visibility';

/** How often the nav badge re-counts active jobs while the tab is visible. */
export const ACTIVE_COUNT_POLL_MS = 10_000;

/**
 * The number of active generation jobs, for the nav badge. Polls `?status=active` (one row; the
 * count is `total`) while the tab is visible; null until known or after a failed request.
 * Provided by the signed-in shell, so it stops when the user signs out.
 */
@Injectable()
export class ActiveJobsCount {
  private readonly api = inject(JobsApi);
  /** Counts other pages learned meanwhile (the dashboard polls every 3 s), so the badge is not 10 s stale. */
  private readonly reported = new Subject<number>();

  /** A fresh count from a page that just asked the API (the same `?status=active` total). */
  report(total: number): void {
    this.reported.next(total);
  }

  readonly count = toSignal(
    merge(
      this.reported,
      inject(PAGE_VISIBLE).pipe(
        switchMap((visible) =>
          visible
            ? timer(0, ACTIVE_COUNT_POLL_MS).pipe(
                switchMap(() =>
                  this.api.list({ status: 'active', page_size: 1 }).pipe(
                    map((response) => response.total),
                    catchError(() => of(null)),
                  ),
                ),
              )
            : EMPTY,
        ),
      ),
    ),
    { initialValue: null },
  );
}
