import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { COURSE_STATUSES, type CourseStatus, type CourseSummary } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { Subject, debounceTime, distinctUntilChanged, firstValueFrom } from 'rxjs';

import { errorMessage } from '../shared/api-error';
import { relativeTime } from '../shared/format';
import { COURSE_STATUS_LABELS } from '../shared/status-labels';
import { StatusPill, courseStatusBadge, type StatusBadge } from '../shared/status-pill';
import { CourseListQuery, CoursesApi } from './courses-api';
import { UploadFailure, uploadFailure } from './upload-error';

export const COURSE_PAGE_SIZE = 20;

/** `/admin/curriculum`: the course list, filters, upload, and the way to the generation queue. */
@Component({
  selector: 'cl-curriculum-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    StatusPill,
  ],
  template: `
    <header class="page-header">
      <h1>Curriculum</h1>
      <div class="actions">
        <a matButton="outlined" routerLink="/course-generation-queue" data-testid="curriculum-queue-link"
          >Generation Queue</a
        >
        <button
          matButton="outlined"
          type="button"
          data-testid="upload-outline"
          [disabled]="uploading()"
          (click)="fileInput.click()"
        >
          Upload outline
        </button>
        <input
          #fileInput
          hidden
          type="file"
          accept=".md,.markdown,.json,text/markdown,application/json"
          data-testid="upload-input"
          (change)="upload(fileInput)"
        />
        <a matButton="filled" routerLink="/courses/new" data-testid="curriculum-new-course">New Course</a>
      </div>
    </header>

    @if (uploading()) {
      <mat-progress-bar mode="indeterminate" data-testid="upload-progress" />
    }
    @if (uploadError(); as failure) {
      <div class="error-box" role="alert" data-testid="upload-error">
        <strong>Upload failed</strong>
        @if (failure.where) {
          <span class="where" data-testid="upload-error-where">{{ failure.where }}</span>
        }
        <span>{{ failure.message }}</span>
        <button matButton type="button" (click)="uploadError.set(null)">Dismiss</button>
      </div>
    }

    <div class="filters">
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Status</mat-label>
        <select
          matNativeControl
          data-testid="course-status-filter"
          [value]="status() ?? ''"
          (change)="setStatus($any($event.target).value)"
        >
          <option value="">All statuses</option>
          @for (s of statuses; track s) {
            <option [value]="s">{{ statusLabel(s) }}</option>
          }
        </select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="search">
        <mat-label>Search titles</mat-label>
        <input
          matInput
          type="search"
          data-testid="course-search"
          [value]="search()"
          (input)="searchInput.next($any($event.target).value)"
        />
      </mat-form-field>
    </div>

    @if (courses.isLoading()) {
      <mat-progress-bar mode="indeterminate" data-testid="courses-loading" />
    }
    @if (courses.error(); as error) {
      <div class="error-box" role="alert" data-testid="courses-error">
        <span>{{ message(error) }}</span>
        <button matButton="outlined" type="button" (click)="courses.reload()">Try again</button>
      </div>
    } @else if (courses.hasValue()) {
      @if (rows().length === 0) {
        <div class="empty" data-testid="courses-empty">
          @if (status() || search()) {
            <p>No course matches these filters.</p>
          } @else {
            <p>No courses yet. Generate one with the wizard or upload an outline.</p>
            <a matButton="filled" routerLink="/courses/new">New Course</a>
          }
        </div>
      } @else {
        <table mat-table [dataSource]="rows()" class="courses" data-testid="courses-table">
          <ng-container matColumnDef="title">
            <th mat-header-cell *matHeaderCellDef>Title</th>
            <td mat-cell *matCellDef="let c">
              <a [routerLink]="['/courses', c.id]" data-testid="course-link">{{ c.title }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>Status</th>
            <td mat-cell *matCellDef="let c">
              <cl-status-pill [badge]="statusBadge(c.status)" data-testid="course-status" />
            </td>
          </ng-container>
          <ng-container matColumnDef="projects">
            <th mat-header-cell *matHeaderCellDef>Projects</th>
            <td mat-cell *matCellDef="let c" data-testid="course-projects">{{ c.counts.projects }}</td>
          </ng-container>
          <ng-container matColumnDef="lessons">
            <th mat-header-cell *matHeaderCellDef>Lessons</th>
            <td mat-cell *matCellDef="let c" data-testid="course-lessons">{{ c.counts.lessons }}</td>
          </ng-container>
          <ng-container matColumnDef="tasks">
            <th mat-header-cell *matHeaderCellDef>Tasks</th>
            <td mat-cell *matCellDef="let c" data-testid="course-tasks">{{ c.counts.tasks }}</td>
          </ng-container>
          <ng-container matColumnDef="updated">
            <th mat-header-cell *matHeaderCellDef>Updated</th>
            <td mat-cell *matCellDef="let c" [attr.title]="c.updated_at">{{ ago(c.updated_at) }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr
            mat-row
            *matRowDef="let c; columns: columns"
            [attr.data-testid]="'course-row-' + c.id"
            [attr.data-course-title]="c.title"
          ></tr>
        </table>
        <nav class="pager" aria-label="Pages">
          <button matButton type="button" [disabled]="page() <= 1" (click)="page.set(page() - 1)">
            Previous
          </button>
          <span data-testid="courses-page">Page {{ page() }} of {{ pages() }} · {{ total() }} courses</span>
          <button matButton type="button" [disabled]="page() >= pages()" (click)="page.set(page() + 1)">
            Next
          </button>
        </nav>
      }
    }
  `,
  styles: `
    .page-header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 16px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
      margin: 16px 0;
    }
    .search {
      flex: 1 1 240px;
    }
    .courses {
      width: 100%;
    }
    .error-box {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      color: var(--mat-sys-error);
      margin: 12px 0;
    }
    .where {
      font-family: ui-monospace, monospace;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      padding: 0 6px;
      border-radius: 4px;
    }
    .pager {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
      margin-top: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CurriculumPage {
  private readonly api = inject(CoursesApi);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly statuses = COURSE_STATUSES;
  protected readonly columns = ['title', 'status', 'projects', 'lessons', 'tasks', 'updated'];

  protected readonly status = signal<CourseStatus | undefined>(undefined);
  protected readonly search = signal('');
  protected readonly page = signal(1);
  protected readonly searchInput = new Subject<string>();

  protected readonly courses = rxResource({
    params: (): CourseListQuery => ({
      status: this.status(),
      search: this.search().trim() || undefined,
      page: this.page(),
      page_size: COURSE_PAGE_SIZE,
    }),
    stream: ({ params }) => this.api.list(params),
  });
  protected readonly rows = computed<CourseSummary[]>(() => this.courses.value()?.items ?? []);
  protected readonly total = computed(() => this.courses.value()?.total ?? 0);
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / COURSE_PAGE_SIZE)));

  protected readonly uploading = signal(false);
  protected readonly uploadError = signal<UploadFailure | null>(null);

  /** What was typed, 300 ms after the last keystroke. */
  private readonly typedSearch = toSignal(this.searchInput.pipe(debounceTime(300), distinctUntilChanged()));

  constructor() {
    effect(() => {
      const text = this.typedSearch();
      if (text !== undefined) {
        this.search.set(text);
        this.page.set(1);
      }
    });
  }

  protected setStatus(value: string): void {
    this.status.set(
      (COURSE_STATUSES as readonly string[]).includes(value) ? (value as CourseStatus) : undefined,
    );
    this.page.set(1);
  }

  protected async upload(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) {
      return;
    }
    this.uploading.set(true);
    this.uploadError.set(null);
    try {
      const { course_id } = await firstValueFrom(this.api.upload(file));
      this.uploading.set(false);
      this.snackBar.open(`Outline uploaded: ${file.name}`, undefined, { duration: 4000 });
      void this.router.navigate(['/courses', course_id]);
    } catch (error) {
      this.uploading.set(false);
      this.uploadError.set(uploadFailure(error));
    }
  }

  protected statusBadge(status: CourseStatus): StatusBadge {
    return courseStatusBadge(status);
  }

  protected statusLabel(status: CourseStatus): string {
    return COURSE_STATUS_LABELS[status];
  }

  protected ago(iso: string): string {
    return relativeTime(iso);
  }

  protected message(error: unknown): string {
    return errorMessage(error, 'The courses could not be loaded.');
  }
}
