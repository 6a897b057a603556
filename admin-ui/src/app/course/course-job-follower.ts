import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobView } from '@contracts/api';
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  catchError,
  combineLatest,
  distinctUntilChanged,
  map,
  of,
  startWith,
  switchMap,
  tap,
  throwError,
  timer,
} from 'rxjs';

import { isActiveJob } from '../queue/job-display';
import { JobsApi } from '../queue/jobs-api';
import { QUEUE_POLL_MS } from '../queue/queue-store';
import { errorMessage, httpStatus } from '../shared/api-error';
import { PAGE_VISIBLE } from '../shared/page-visibility';

/** Active jobs asked for per poll: a course has at most one, the rest is slack. */
const ACTIVE_PAGE_SIZE = 5;

/**
 * The course page's view of the course's active job (a generation, or a regeneration of one part). Provided by
 * the page.
 *
 * - On open, and after `follow()`, polls `GET jobs?course_id=<id>&status=active` every QUEUE_POLL_MS while the
 *   tab is visible; stops once the course has no active job. Ticks go through `switchMap`, so requests never
 *   overlap.
 * - A followed job that leaves the active set is fetched once (`GET jobs/:id`) for its final status, reported by
 *   `finished` and `finished$` (the page reloads the course then). A job just queued is followed by id, so one
 *   that ends before the first poll is still reported.
 */
@Injectable()
export class CourseJobFollower {
  private readonly api = inject(JobsApi);
  private readonly visible$ = inject(PAGE_VISIBLE);
  private readonly destroyRef = inject(DestroyRef);

  private readonly jobState = signal<JobView | null>(null);
  private readonly finishedState = signal<JobView | null>(null);
  private readonly pollingState = signal(false);
  private readonly refreshErrorState = signal<string | null>(null);
  private readonly finishedEvents = new Subject<JobView>();

  /** The course's active job as last seen; null when it has none. */
  readonly job = this.jobState.asReadonly();
  /** The last followed job that ended (completed, failed or cancelled), until `dismiss()`. */
  readonly finished = this.finishedState.asReadonly();
  /** Whether the poll is running now. */
  readonly polling = this.pollingState.asReadonly();
  /** The last poll failed (what is shown is from the one before); the next tick tries again. */
  readonly refreshError = this.refreshErrorState.asReadonly();
  /** Each followed job that ends, once. */
  readonly finished$: Observable<JobView> = this.finishedEvents.asObservable();

  /** The job followed: seen active, or just queued. */
  private followedId: string | null = null;
  private readonly course$ = new BehaviorSubject<string | null>(null);
  private readonly active$ = new BehaviorSubject(true);

  constructor() {
    this.course$
      .pipe(
        distinctUntilChanged(),
        switchMap((courseId) => (courseId ? this.polls(courseId) : EMPTY)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  /** Watch this course (from scratch when it changes): one look for an active job, then polls while one runs. */
  open(courseId: string): void {
    if (courseId === this.course$.value) {
      return;
    }
    this.followedId = null;
    this.jobState.set(null);
    this.finishedState.set(null);
    this.refreshErrorState.set(null);
    this.active$.next(true);
    this.course$.next(courseId);
  }

  /** Follow a job just queued for this course: polls (again) until it ends. */
  follow(jobId: string): void {
    this.followedId = jobId;
    this.finishedState.set(null);
    this.active$.next(true);
  }

  /** Hide the message about the job that ended. */
  dismiss(): void {
    this.finishedState.set(null);
  }

  private polls(courseId: string): Observable<void> {
    return combineLatest([this.visible$, this.active$]).pipe(
      map(([visible, active]) => visible && active),
      distinctUntilChanged(),
      tap((on) => this.pollingState.set(on)),
      // On: a look at once, then one every QUEUE_POLL_MS.
      switchMap((on) =>
        on
          ? timer(QUEUE_POLL_MS, QUEUE_POLL_MS).pipe(
              startWith(0),
              switchMap(() => this.refresh(courseId)),
            )
          : EMPTY,
      ),
    );
  }

  /** One tick: the course's active jobs, then the followed job's detail when it is no longer among them. */
  private refresh(courseId: string): Observable<void> {
    return this.api
      .list({ status: 'active', scope: 'organization', course_id: courseId, page_size: ACTIVE_PAGE_SIZE })
      .pipe(
        map((response) => response.jobs.filter((job) => job.course_id === courseId)),
        switchMap((active) => {
          const followed = this.followedId;
          if (!followed || active.some((job) => job.id === followed)) {
            return of({ active, ended: null });
          }
          return this.api.get(followed).pipe(
            map((detail) => ({ active, ended: detail.job })),
            // A job that is gone (deleted with its course) has nothing to report; stop following it.
            catchError((error: unknown) =>
              httpStatus(error) === 404 ? of({ active, ended: null }) : throwError(() => error),
            ),
          );
        }),
        map(({ active, ended }) => {
          // A job queued a moment ago may not be listed yet while its detail already says it is active.
          const current = ended && isActiveJob(ended) ? ended : (active[0] ?? null);
          this.jobState.set(current);
          this.refreshErrorState.set(null);
          this.followedId = current?.id ?? null;
          if (ended && !isActiveJob(ended)) {
            this.finishedState.set(ended);
            this.finishedEvents.next(ended);
          }
          // Last: this may stop the ticks, which drops the one that called us.
          this.active$.next(current !== null);
        }),
        catchError((error: unknown) => {
          this.refreshErrorState.set(errorMessage(error, 'The job could not be followed.'));
          return EMPTY;
        }),
      );
  }
}
