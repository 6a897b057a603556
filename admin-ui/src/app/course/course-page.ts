import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import type { CourseDetail, JobView, PublishConflict, RegenerationTarget } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Observable, catchError, firstValueFrom, map, of } from 'rxjs';

import { CoursesApi } from '../curriculum/courses-api';
import { jobTypeText, progressText, statusBadge } from '../queue/job-display';
import { JobsApi } from '../queue/jobs-api';
import { apiErrorBody, errorMessage, httpStatus } from '../shared/api-error';
import { formatCost, unpricedNote } from '../shared/cost';
import { formatDuration, relativeTime } from '../shared/format';
import { InlineText } from '../shared/inline-text';
import { StatusPill, courseStatusBadge, type StatusBadge } from '../shared/status-pill';
import { CourseExportMenu } from './course-export-menu';
import { CourseJobFollower } from './course-job-follower';
import { HistoryDialog, type HistoryDialogData, type HistoryDialogResult } from './history-dialog';
import { PartActions } from './part-actions';
import { QualityReportPanel } from './quality-report';
import {
  RegenerateDialog,
  type RegenerateDialogData,
  type RegenerateDialogResult,
} from './regenerate-dialog';

/** This course's jobs fetched for its table (newest first). */
const JOB_SCAN_SIZE = 100;

/**
 * `/admin/courses/:id`: the course tree with inline edits, publish/unpublish, its jobs and token usage; per project
 * and lesson Regenerate… and History, following the course's active job (docs/regeneration.md).
 */
@Component({
  selector: 'cl-course-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatProgressBarModule,
    InlineText,
    CourseExportMenu,
    PartActions,
    QualityReportPanel,
    StatusPill,
  ],
  providers: [CourseJobFollower],
  templateUrl: './course-page.html',
  styleUrl: './course-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CoursePage {
  private readonly api = inject(CoursesApi);
  private readonly jobsApi = inject(JobsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  protected readonly follower = inject(CourseJobFollower);

  /** Bound from the `:id` route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();

  protected readonly course = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.get(params),
  });

  /** This course's jobs, newest first; null when they could not be loaded. */
  protected readonly jobs = rxResource<JobView[] | null, string>({
    params: () => this.id(),
    stream: ({ params }) =>
      this.jobsApi.list({ scope: 'organization', course_id: params, page_size: JOB_SCAN_SIZE }).pipe(
        map((response) => response.jobs.filter((job) => job.course_id === params)),
        catchError(() => of(null)),
      ),
  });

  protected readonly formatCost = formatCost;
  protected readonly unpricedNote = unpricedNote;
  protected readonly busy = signal(false);
  protected readonly publishError = signal<{
    message: string;
    missing: PublishConflict['missing'] | null;
  } | null>(null);
  protected readonly editError = signal<string | null>(null);

  /** The part the active job regenerates (a project or lesson id). */
  private readonly regeneratingId = computed(() => this.follower.job()?.target?.item_id ?? null);
  /** The last followed job that ended; each end is a new value. */
  private readonly ended = toSignal(this.follower.finished$);

  constructor() {
    effect(() => this.follower.open(this.id()));
    // The job ended: its new content (or nothing, when it failed) is in the course now.
    effect(() => {
      const job = this.ended();
      if (!job) {
        return;
      }
      untracked(() => {
        this.course.reload();
        this.jobs.reload();
        if (job.status === 'completed') {
          this.snackBar.open(`${jobTypeText(job)}: complete`, undefined, { duration: 4000 });
        }
      });
    });
  }

  /** The active job, when it regenerates this project or lesson. */
  protected regenerating(itemId: string): JobView | null {
    return this.regeneratingId() === itemId ? this.follower.job() : null;
  }

  /** One job per course at a time; a course being generated or archived is not regenerated in parts. */
  protected canRegenerate(course: CourseDetail): boolean {
    return !this.follower.job() && course.status !== 'generating' && course.status !== 'archived';
  }

  protected async openRegenerate(
    course: CourseDetail,
    target: RegenerationTarget,
    itemId: string,
    itemTitle: string,
    lessonCount: number,
  ): Promise<void> {
    const jobId = await firstValueFrom(
      this.dialog
        .open<RegenerateDialog, RegenerateDialogData, RegenerateDialogResult>(RegenerateDialog, {
          data: { courseId: course.id, target, itemId, itemTitle, lessonCount },
          width: '560px',
          maxWidth: '95vw',
        })
        .afterClosed(),
      { defaultValue: undefined },
    );
    if (jobId) {
      this.follower.follow(jobId);
      this.jobs.reload();
      this.snackBar.open('Regeneration queued', undefined, { duration: 3000 });
    }
  }

  protected async openHistory(
    course: CourseDetail,
    itemKind: HistoryDialogData['itemKind'],
    itemId: string,
    itemTitle: string,
  ): Promise<void> {
    const restored = await firstValueFrom(
      this.dialog
        .open<HistoryDialog, HistoryDialogData, HistoryDialogResult>(HistoryDialog, {
          data: { courseId: course.id, itemId, itemTitle, itemKind },
          width: '1100px',
          maxWidth: '95vw',
        })
        .afterClosed(),
      { defaultValue: undefined },
    );
    if (restored) {
      this.done('Version restored');
    }
  }

  protected async setAutoPublishUpdates(course: CourseDetail, on: boolean): Promise<void> {
    this.editError.set(null);
    try {
      await firstValueFrom(this.api.updateCourse(course.id, { auto_publish_updates: on }));
    } catch (error) {
      this.editError.set(errorMessage(error, 'The setting could not be saved.'));
      this.course.reload();
      return;
    }
    this.done(on ? 'Updates will be published automatically' : 'Updates will wait for review');
  }

  protected async edit(
    kind: 'course' | 'project' | 'lesson' | 'task',
    id: string,
    patch: Record<string, string>,
  ): Promise<void> {
    const request: Observable<unknown> =
      kind === 'course'
        ? this.api.updateCourse(id, patch)
        : kind === 'project'
          ? this.api.updateProject(id, patch)
          : kind === 'lesson'
            ? this.api.updateLesson(id, patch)
            : this.api.updateTask(id, patch);
    this.editError.set(null);
    try {
      await firstValueFrom(request);
    } catch (error) {
      this.editError.set(errorMessage(error, 'The change could not be saved.'));
      return;
    }
    this.snackBar.open('Saved', undefined, { duration: 2000 });
    this.course.reload();
  }

  protected async publish(course: CourseDetail): Promise<void> {
    this.busy.set(true);
    this.publishError.set(null);
    try {
      await firstValueFrom(this.api.publish(course.id));
    } catch (error) {
      this.busy.set(false);
      const missing = apiErrorBody(error)?.['missing'] as PublishConflict['missing'] | undefined;
      this.publishError.set({
        message: errorMessage(error, 'The course could not be published.'),
        missing: httpStatus(error) === 409 && missing ? missing : null,
      });
      return;
    }
    this.done('Course published');
  }

  protected async unpublish(course: CourseDetail): Promise<void> {
    this.busy.set(true);
    this.publishError.set(null);
    try {
      await firstValueFrom(this.api.unpublish(course.id));
    } catch (error) {
      this.busy.set(false);
      this.publishError.set({
        message: errorMessage(error, 'The course could not be unpublished.'),
        missing: null,
      });
      return;
    }
    this.done('Course unpublished');
  }

  protected statusBadge(course: CourseDetail): StatusBadge {
    return courseStatusBadge(course.status);
  }

  protected typeText(job: JobView): string {
    return jobTypeText(job);
  }

  protected badge(job: JobView): string {
    return statusBadge(job.status).label;
  }

  protected progress(job: JobView): string {
    return progressText(job);
  }

  protected ago(iso: string | null): string {
    return relativeTime(iso);
  }

  protected duration(seconds: number | null): string {
    return formatDuration(seconds);
  }

  protected loadError(error: unknown): string {
    return httpStatus(error) === 404
      ? 'There is no such course.'
      : errorMessage(error, 'The course could not be loaded.');
  }

  private done(message: string): void {
    this.busy.set(false);
    this.snackBar.open(message, undefined, { duration: 3000 });
    this.course.reload();
  }
}
