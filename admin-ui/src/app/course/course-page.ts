import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { CourseDetail, JobView, PublishConflict } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Observable, catchError, map, of } from 'rxjs';

import { CoursesApi } from '../curriculum/courses-api';
import { progressText, statusBadge } from '../queue/job-display';
import { JobsApi } from '../queue/jobs-api';
import { apiErrorBody, errorMessage, httpStatus } from '../shared/api-error';
import { formatDuration, relativeTime } from '../shared/format';
import { InlineText } from '../shared/inline-text';
import { MarkdownPipe } from '../shared/markdown';
import { COURSE_STATUS_LABELS } from '../shared/status-labels';
import { CourseExportMenu } from './course-export-menu';

/** Jobs fetched to find this course's (the list has no course filter). */
const JOB_SCAN_SIZE = 100;

/** `/admin/courses/:id`: the course tree with inline edits, publish/unpublish, its jobs and token usage. */
@Component({
  selector: 'cl-course-page',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, InlineText, MarkdownPipe, CourseExportMenu],
  template: `
    @if (course.isLoading() && !course.hasValue()) {
      <h1>Course</h1>
      <mat-progress-bar mode="indeterminate" data-testid="course-loading" />
    } @else if (course.error(); as error) {
      <h1>Course</h1>
      <div class="error-box" role="alert" data-testid="course-error">
        <p>{{ loadError(error) }}</p>
        <button matButton="outlined" type="button" (click)="course.reload()">Try again</button>
        <a matButton routerLink="/curriculum">Back to the curriculum</a>
      </div>
    } @else if (course.value(); as c) {
      <header class="head">
        <h1 data-testid="course-heading">
          <cl-inline-text
            [value]="c.title"
            label="course title"
            testId="course-title"
            (save)="edit('course', c.id, { title: $event })"
          />
        </h1>
        <p class="meta">
          <span class="status" [class]="'status status-' + c.status" data-testid="course-status">{{
            statusLabel(c)
          }}</span>
          <span data-testid="course-counts"
            >{{ c.counts.projects }} projects · {{ c.counts.lessons }} lessons ·
            {{ c.counts.tasks }} tasks</span
          >
          <code class="id" data-testid="course-id">{{ c.id }}</code>
        </p>
        <cl-inline-text
          [value]="c.description"
          label="course description"
          testId="course-description"
          [multiline]="true"
          (save)="edit('course', c.id, { description: $event })"
        />
        <div class="actions">
          @if (c.status === 'published') {
            <button
              matButton="outlined"
              type="button"
              data-testid="unpublish"
              [disabled]="busy()"
              (click)="unpublish(c)"
            >
              Unpublish
            </button>
          } @else {
            <button
              matButton="filled"
              type="button"
              data-testid="publish"
              [disabled]="busy() || c.status === 'generating'"
              (click)="publish(c)"
            >
              Publish
            </button>
          }
          <cl-course-export-menu [courseId]="c.id" [status]="c.status" />
          <a matButton routerLink="/course-generation-queue">Generation Queue</a>
        </div>
        @if (c.status === 'generating') {
          <p class="note" data-testid="course-generating">
            A generation job is writing this course; publish when it finishes.
          </p>
        }
        @if (publishError(); as failure) {
          <div class="error-box" role="alert" data-testid="publish-error">
            <p>{{ failure.message }}</p>
            @if (failure.missing; as missing) {
              @if (missing.projects_without_lessons.length) {
                <p>Projects without lessons: {{ missing.projects_without_lessons.join(', ') }}</p>
              }
              @if (missing.lessons_without_tasks.length) {
                <p>Lessons without tasks: {{ missing.lessons_without_tasks.join(', ') }}</p>
              }
            }
          </div>
        }
        @if (editError(); as message) {
          <p class="error-box" role="alert" data-testid="edit-error">{{ message }}</p>
        }
      </header>

      <section aria-labelledby="tree-heading">
        <h2 id="tree-heading">Projects, lessons and tasks</h2>
        @if (c.projects.length === 0) {
          <p class="muted" data-testid="tree-empty">This course has no projects yet.</p>
        }
        <ol class="tree">
          @for (project of c.projects; track project.id; let pi = $index) {
            <li class="project" [attr.data-testid]="'tree-project-' + project.id">
              <h3>
                <cl-inline-text
                  [value]="project.title"
                  label="project title"
                  [testId]="'project-title-' + pi"
                  (save)="edit('project', project.id, { title: $event })"
                />
              </h3>
              <cl-inline-text
                [value]="project.description"
                label="project description"
                [testId]="'project-description-' + pi"
                [multiline]="true"
                (save)="edit('project', project.id, { description: $event })"
              />
              @if (project.lessons.length === 0) {
                <p class="muted">No lessons yet.</p>
              }
              <ol>
                @for (lesson of project.lessons; track lesson.id; let li = $index) {
                  <li class="lesson" [attr.data-testid]="'tree-lesson-' + lesson.id">
                    <h4>
                      <cl-inline-text
                        [value]="lesson.title"
                        label="lesson title"
                        [testId]="'lesson-title-' + pi + '-' + li"
                        (save)="edit('lesson', lesson.id, { title: $event })"
                      />
                    </h4>
                    <cl-inline-text
                      [value]="lesson.summary"
                      label="lesson summary"
                      [testId]="'lesson-summary-' + pi + '-' + li"
                      [multiline]="true"
                      (save)="edit('lesson', lesson.id, { summary: $event })"
                    />
                    <details>
                      <summary>Lesson content</summary>
                      <div
                        class="markdown"
                        data-testid="lesson-content"
                        [innerHTML]="lesson.content | markdown"
                      ></div>
                      <cl-inline-text
                        [value]="lesson.content"
                        label="lesson content (Markdown)"
                        [testId]="'lesson-content-' + pi + '-' + li"
                        [multiline]="true"
                        (save)="edit('lesson', lesson.id, { content: $event })"
                      />
                    </details>
                    @if (lesson.tasks.length === 0) {
                      <p class="muted">No tasks yet.</p>
                    }
                    <ul>
                      @for (task of lesson.tasks; track task.id; let ti = $index) {
                        <li class="task" [attr.data-testid]="'tree-task-' + task.id">
                          <span class="kind">{{ task.kind }}</span>
                          <cl-inline-text
                            [value]="task.title"
                            label="task title"
                            [testId]="'task-title-' + pi + '-' + li + '-' + ti"
                            (save)="edit('task', task.id, { title: $event })"
                          />
                          <cl-inline-text
                            [value]="task.instructions"
                            label="task instructions"
                            [testId]="'task-instructions-' + pi + '-' + li + '-' + ti"
                            [multiline]="true"
                            (save)="edit('task', task.id, { instructions: $event })"
                          />
                        </li>
                      }
                    </ul>
                  </li>
                }
              </ol>
            </li>
          }
        </ol>
      </section>

      <section aria-labelledby="jobs-heading" data-testid="course-jobs">
        <h2 id="jobs-heading">Generation jobs</h2>
        @if (jobs.isLoading()) {
          <mat-progress-bar mode="indeterminate" />
        } @else if (jobs.value() === null) {
          <p class="muted">The jobs could not be loaded.</p>
        } @else if (!jobs.value()?.length) {
          <p class="muted" data-testid="course-jobs-empty">No generation job for this course.</p>
        } @else {
          <table class="plain">
            <thead>
              <tr>
                <th>Status</th>
                <th>Progress</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Tokens</th>
              </tr>
            </thead>
            <tbody>
              @for (job of jobs.value(); track job.id) {
                <tr [attr.data-testid]="'course-job-' + job.id">
                  <td>{{ badge(job) }}</td>
                  <td>{{ progress(job) }}</td>
                  <td>{{ ago(job.started_at) }}</td>
                  <td>{{ duration(job.duration_seconds) }}</td>
                  <td>{{ job.prompt_tokens + job.completion_tokens }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      </section>

      <section aria-labelledby="usage-heading" data-testid="course-usage">
        <h2 id="usage-heading">Token usage</h2>
        <p data-testid="usage-totals">
          {{ c.usage.totals.calls }} model calls · {{ c.usage.totals.prompt_tokens }} prompt tokens ·
          {{ c.usage.totals.completion_tokens }} completion tokens
        </p>
        @if (c.usage.rows.length) {
          <table class="plain">
            <thead>
              <tr>
                <th>Stage</th>
                <th>Model</th>
                <th>Prompt</th>
                <th>Completion</th>
                <th>Time</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              @for (row of c.usage.rows; track $index) {
                <tr>
                  <td>{{ row.stage }}</td>
                  <td>{{ row.model }}</td>
                  <td>{{ row.prompt_tokens }}</td>
                  <td>{{ row.completion_tokens }}</td>
                  <td>{{ duration(row.duration_ms / 1000) }}</td>
                  <td>{{ ago(row.created_at) }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      </section>
    }
  `,
  styles: `
    .head h1 {
      margin-bottom: 4px;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: center;
      color: var(--mat-sys-on-surface-variant);
    }
    .id {
      font-size: 11px;
    }
    .actions {
      display: flex;
      gap: 8px;
      margin: 12px 0;
    }
    .status {
      padding: 2px 8px;
      border-radius: 999px;
      font-size: 12px;
      background: #e5e7eb;
      color: #374151;
    }
    .status-generating {
      background: #dbeafe;
      color: #1d4ed8;
    }
    .status-published {
      background: #dcfce7;
      color: #15803d;
    }
    .error-box {
      color: var(--mat-sys-error);
    }
    .note,
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .tree,
    .tree ol,
    .tree ul {
      padding-left: 20px;
    }
    .project {
      margin-bottom: 24px;
    }
    .kind {
      font-size: 11px;
      text-transform: uppercase;
      margin-right: 6px;
      color: var(--mat-sys-on-surface-variant);
    }
    .markdown {
      padding: 8px 12px;
      border-left: 3px solid var(--mat-sys-outline-variant);
      margin: 8px 0;
    }
    .plain {
      border-collapse: collapse;
    }
    .plain th,
    .plain td {
      text-align: left;
      padding: 4px 12px 4px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CoursePage {
  private readonly api = inject(CoursesApi);
  private readonly jobsApi = inject(JobsApi);
  private readonly snackBar = inject(MatSnackBar);

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

  protected readonly busy = signal(false);
  protected readonly publishError = signal<{
    message: string;
    missing: PublishConflict['missing'] | null;
  } | null>(null);
  protected readonly editError = signal<string | null>(null);

  protected edit(
    kind: 'course' | 'project' | 'lesson' | 'task',
    id: string,
    patch: Record<string, string>,
  ): void {
    const request: Observable<unknown> =
      kind === 'course'
        ? this.api.updateCourse(id, patch)
        : kind === 'project'
          ? this.api.updateProject(id, patch)
          : kind === 'lesson'
            ? this.api.updateLesson(id, patch)
            : this.api.updateTask(id, patch);
    this.editError.set(null);
    request.subscribe({
      next: () => {
        this.snackBar.open('Saved', undefined, { duration: 2000 });
        this.course.reload();
      },
      error: (error: unknown) => this.editError.set(errorMessage(error, 'The change could not be saved.')),
    });
  }

  protected publish(course: CourseDetail): void {
    this.busy.set(true);
    this.publishError.set(null);
    this.api.publish(course.id).subscribe({
      next: () => this.done('Course published'),
      error: (error: unknown) => {
        this.busy.set(false);
        const missing = apiErrorBody(error)?.['missing'] as PublishConflict['missing'] | undefined;
        this.publishError.set({
          message: errorMessage(error, 'The course could not be published.'),
          missing: httpStatus(error) === 409 && missing ? missing : null,
        });
      },
    });
  }

  protected unpublish(course: CourseDetail): void {
    this.busy.set(true);
    this.publishError.set(null);
    this.api.unpublish(course.id).subscribe({
      next: () => this.done('Course unpublished'),
      error: (error: unknown) => {
        this.busy.set(false);
        this.publishError.set({
          message: errorMessage(error, 'The course could not be unpublished.'),
          missing: null,
        });
      },
    });
  }

  protected statusLabel(course: CourseDetail): string {
    return COURSE_STATUS_LABELS[course.status];
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
