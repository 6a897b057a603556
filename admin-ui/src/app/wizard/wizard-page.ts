import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { COURSE_LEVELS, type CourseLevel, type GenerateOutlinesRequest } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';

import { CostCapField } from '../shared/cost-cap-field';
import { EstimateLine } from '../shared/estimate-line';
import { SampleProviderNote } from '../shared/sample-provider-note';
import { WizardStore } from './wizard-store';

const STEP_TITLES: Record<string, string> = {
  lessons: 'Step 1 of 3 · Generate lessons',
  tasks: 'Step 2 of 3 · Generate tasks',
  review: 'Step 3 of 3 · Review and publish',
};

/** `/admin/courses/new`: topic → outline proposals → approve → Generate & Queue, or step by step. */
@Component({
  selector: 'cl-wizard-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    SampleProviderNote,
    EstimateLine,
    CostCapField,
  ],
  providers: [WizardStore],
  template: `
    <h1>New course</h1>

    @if (store.error(); as error) {
      <div class="error-box" role="alert" data-testid="wizard-error">
        <span>{{ error }}</span>
        @if (store.activeJobId()) {
          <a routerLink="/course-generation-queue" data-testid="wizard-active-job-link"
            >Open the generation queue</a
          >
        }
        @if (store.budgetExhausted()) {
          <a routerLink="/settings" data-testid="wizard-budget-link">See the budgets in Settings</a>
        }
      </div>
    }

    @switch (store.step()) {
      @case ('topic') {
        <form [formGroup]="form" (ngSubmit)="generate()" class="topic-form" data-testid="wizard-form">
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Topic</mat-label>
            <input matInput formControlName="topic" data-testid="wizard-topic" required maxlength="200" />
            <mat-hint>What should the course teach? e.g. “Build a board game from scratch”</mat-hint>
          </mat-form-field>
          <mat-form-field appearance="outline" class="wide">
            <mat-label>Audience</mat-label>
            <input matInput formControlName="audience" data-testid="wizard-audience" maxlength="500" />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Level</mat-label>
            <select matNativeControl formControlName="level" data-testid="wizard-level">
              @for (level of levels; track level) {
                <option [value]="level">{{ level }}</option>
              }
            </select>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Language</mat-label>
            <input matInput formControlName="language" data-testid="wizard-language" maxlength="35" />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Number of projects</mat-label>
            <input
              matInput
              type="number"
              min="1"
              max="10"
              formControlName="projectCount"
              data-testid="wizard-project-count"
            />
          </mat-form-field>
          <div class="row">
            <button
              matButton="filled"
              type="submit"
              data-testid="generate-outlines"
              [disabled]="form.invalid || store.busy() === 'outlines'"
            >
              Generate outlines
            </button>
          </div>
          @if (store.busy() === 'outlines') {
            <div data-testid="outlines-progress" aria-live="polite">
              <mat-progress-bar mode="indeterminate" />
              <p class="muted">Writing outline proposals… this can take a minute with a real model.</p>
            </div>
          }
        </form>
      }

      @case ('outlines') {
        <section aria-labelledby="proposals-heading">
          <h2 id="proposals-heading">Choose an outline</h2>
          @if (store.sample()) {
            <cl-sample-provider-note />
          }
          <div class="proposals" role="radiogroup" aria-label="Outline proposals">
            @for (outline of store.outlines(); track $index; let i = $index) {
              <mat-card
                appearance="outlined"
                class="proposal"
                role="radio"
                tabindex="0"
                [class.selected]="store.selected() === i"
                [attr.aria-checked]="store.selected() === i"
                [attr.data-testid]="'proposal-card-' + i"
                (click)="store.select(i)"
                (keydown.enter)="store.select(i)"
                (keydown.space)="store.select(i); $event.preventDefault()"
              >
                <mat-card-header>
                  <mat-card-title>{{ outline.title }}</mat-card-title>
                  <mat-card-subtitle>{{ outline.projects.length }} projects</mat-card-subtitle>
                </mat-card-header>
                <mat-card-content>
                  <p>{{ outline.description }}</p>
                  <ol>
                    @for (project of outline.projects; track $index) {
                      <li>{{ project.title }}</li>
                    }
                  </ol>
                </mat-card-content>
              </mat-card>
            }
          </div>

          @if (store.draft(); as draft) {
            <section class="editor" data-testid="outline-editor" aria-label="Edit the chosen outline">
              <h2>Edit the chosen outline</h2>
              <mat-form-field appearance="outline" class="wide">
                <mat-label>Course title</mat-label>
                <input
                  matInput
                  data-testid="draft-title"
                  [value]="draft.title"
                  (input)="store.setTitle(text($event))"
                />
              </mat-form-field>
              <mat-form-field appearance="outline" class="wide">
                <mat-label>Description</mat-label>
                <textarea
                  matInput
                  rows="3"
                  data-testid="draft-description"
                  [value]="draft.description"
                  (input)="store.setDescription(text($event))"
                ></textarea>
              </mat-form-field>
              <ol class="draft-projects">
                @for (project of draft.projects; track $index; let i = $index, first = $first, last = $last) {
                  <li class="draft-project" [attr.data-testid]="'draft-project-' + i">
                    <mat-form-field appearance="outline" class="wide">
                      <mat-label>Project {{ i + 1 }} title</mat-label>
                      <input
                        matInput
                        [attr.data-testid]="'draft-project-title-' + i"
                        [value]="project.title"
                        (input)="store.updateProject(i, { title: text($event) })"
                      />
                    </mat-form-field>
                    <mat-form-field appearance="outline" class="wide">
                      <mat-label>Project {{ i + 1 }} description</mat-label>
                      <textarea
                        matInput
                        rows="2"
                        [attr.data-testid]="'draft-project-description-' + i"
                        [value]="project.description"
                        (input)="store.updateProject(i, { description: text($event) })"
                      ></textarea>
                    </mat-form-field>
                    <div class="row">
                      <button
                        matButton
                        type="button"
                        [disabled]="first"
                        [attr.data-testid]="'draft-project-up-' + i"
                        (click)="store.moveProject(i, -1)"
                      >
                        Move up
                      </button>
                      <button
                        matButton
                        type="button"
                        [disabled]="last"
                        [attr.data-testid]="'draft-project-down-' + i"
                        (click)="store.moveProject(i, 1)"
                      >
                        Move down
                      </button>
                      <button
                        matButton
                        type="button"
                        [disabled]="draft.projects.length === 1"
                        [attr.data-testid]="'draft-project-remove-' + i"
                        (click)="store.removeProject(i)"
                      >
                        Remove
                      </button>
                    </div>
                  </li>
                }
              </ol>
              <button
                matButton="outlined"
                type="button"
                data-testid="draft-add-project"
                (click)="store.addProject()"
              >
                Add project
              </button>
            </section>
          }

          <div class="row actions">
            <button matButton type="button" data-testid="edit-topic" (click)="store.editTopic()">Back</button>
            <button
              matButton
              type="button"
              data-testid="regenerate-outlines"
              [disabled]="store.busy() !== null"
              (click)="regenerate()"
            >
              Generate new proposals
            </button>
            <button
              matButton="filled"
              type="button"
              data-testid="approve-outline"
              [disabled]="!store.canApprove() || store.busy() !== null"
              (click)="store.approve()"
            >
              Approve outline
            </button>
          </div>
          @if (store.busy() === 'outlines' || store.busy() === 'approve') {
            <mat-progress-bar mode="indeterminate" data-testid="outlines-progress" />
          }
        </section>
      }

      @case ('approved') {
        <section class="approved" data-testid="approved-panel" aria-labelledby="approved-heading">
          <h2 id="approved-heading">Course Structure Approved</h2>
          <p class="approved-title" data-testid="approved-title">“{{ store.draft()?.title }}”</p>
          <p class="approved-summary" data-testid="approved-summary">
            {{ store.projectCount() }} Projects | Ready for content generation
          </p>
          <div class="choices">
            <button
              type="button"
              class="choice recommended"
              data-testid="generate-and-queue"
              [disabled]="store.busy() !== null || store.costCapError() !== null"
              (click)="queue()"
            >
              <span class="choice-title">Generate &amp; Queue</span>
              <span class="choice-tag"> (Recommended) </span>
              <span class="choice-text"> Queue for background processing. View progress in queue.</span>
            </button>
            <button
              type="button"
              class="choice"
              data-testid="generate-manually"
              [disabled]="store.busy() !== null"
              (click)="store.startManual()"
            >
              <span class="choice-title">Generate Manually</span>
              <span class="choice-tag"> (Step by step) </span>
              <span class="choice-text"> Continue with current wizard flow.</span>
            </button>
          </div>
          <cl-estimate-line [estimate]="store.estimate()" [error]="store.estimateError()" />
          <mat-checkbox
            data-testid="auto-publish"
            [checked]="store.autoPublish()"
            (change)="store.autoPublish.set($event.checked)"
          >
            Auto-publish when complete
          </mat-checkbox>
          <div class="cap-row">
            <cl-cost-cap-field
              label="Cost cap (USD)"
              hint="Optional: the job pauses at this spend. Empty = the default cap."
              [value]="store.costCap()"
              (valueChange)="store.setCostCap($event)"
              [disabled]="store.busy() !== null"
            />
          </div>
          @if (store.busy() === 'queue') {
            <mat-progress-bar mode="indeterminate" />
          }
        </section>
      }

      @default {
        <section class="manual" [attr.data-testid]="'manual-step-' + store.step()">
          <h2>{{ stepTitle() }}</h2>
          <p class="muted">“{{ store.draft()?.title }}”</p>
          @if (store.sample()) {
            <cl-sample-provider-note />
          }

          @switch (store.step()) {
            @case ('lessons') {
              <button
                matButton="filled"
                type="button"
                data-testid="generate-lessons"
                [disabled]="store.busy() !== null"
                (click)="store.generateLessons()"
              >
                {{ store.projects().length ? 'Generate lessons again' : 'Generate lessons' }}
              </button>
              @if (store.busy() === 'lessons') {
                <mat-progress-bar mode="indeterminate" data-testid="manual-progress" />
              }
              @if (store.projects().length) {
                <ol class="review" data-testid="lessons-review">
                  @for (project of store.projects(); track project.id) {
                    <li>
                      <strong>{{ project.title }}</strong> — {{ project.lessons.length }} lessons
                      <ul>
                        @for (lesson of project.lessons; track lesson.id) {
                          <li data-testid="review-lesson">
                            {{ lesson.title }}<span class="muted"> · {{ lesson.summary }}</span>
                          </li>
                        }
                      </ul>
                    </li>
                  }
                </ol>
                <button
                  matButton="filled"
                  type="button"
                  data-testid="continue-to-tasks"
                  (click)="store.continueToTasks()"
                >
                  Continue
                </button>
              }
            }
            @case ('tasks') {
              <button
                matButton="filled"
                type="button"
                data-testid="generate-tasks"
                [disabled]="store.busy() !== null"
                (click)="store.generateTasks()"
              >
                {{ store.lessons().length ? 'Generate tasks again' : 'Generate tasks' }}
              </button>
              @if (store.busy() === 'tasks') {
                <mat-progress-bar mode="indeterminate" data-testid="manual-progress" />
              }
              @if (store.lessons().length) {
                <ol class="review" data-testid="tasks-review">
                  @for (lesson of store.lessons(); track lesson.id) {
                    <li>
                      <strong>{{ lesson.title }}</strong> — {{ lesson.tasks.length }} tasks
                      <ul>
                        @for (task of lesson.tasks; track task.id) {
                          <li data-testid="review-task">
                            {{ task.title }} <span class="muted">({{ task.kind }})</span>
                          </li>
                        }
                      </ul>
                    </li>
                  }
                </ol>
                <button
                  matButton="filled"
                  type="button"
                  data-testid="continue-to-review"
                  (click)="store.continueToReview()"
                >
                  Continue
                </button>
              }
            }
            @case ('review') {
              @if (store.busy() === 'review') {
                <mat-progress-bar mode="indeterminate" data-testid="manual-progress" />
              }
              @if (store.course(); as course) {
                <p data-testid="review-counts">
                  {{ course.counts.projects }} projects · {{ course.counts.lessons }} lessons ·
                  {{ course.counts.tasks }} tasks
                </p>
                <ol class="review" data-testid="review-tree">
                  @for (project of course.projects; track project.id) {
                    <li>
                      <strong>{{ project.title }}</strong>
                      <ul>
                        @for (lesson of project.lessons; track lesson.id) {
                          <li>{{ lesson.title }} — {{ lesson.tasks.length }} tasks</li>
                        }
                      </ul>
                    </li>
                  }
                </ol>
              }
              @if (store.published()) {
                <p class="success" role="status" data-testid="wizard-published">The course is published.</p>
              } @else {
                <button
                  matButton="filled"
                  type="button"
                  data-testid="wizard-publish"
                  [disabled]="store.busy() !== null"
                  (click)="store.publish()"
                >
                  Publish
                </button>
              }
              @if (store.publishConflict(); as missing) {
                <div class="error-box" role="alert" data-testid="publish-error">
                  <p>The course cannot be published yet.</p>
                  @if (missing.projects_without_lessons.length) {
                    <p>Projects without lessons: {{ missing.projects_without_lessons.join(', ') }}</p>
                  }
                  @if (missing.lessons_without_tasks.length) {
                    <p>Lessons without tasks: {{ missing.lessons_without_tasks.join(', ') }}</p>
                  }
                </div>
              }
              <a matButton [routerLink]="['/courses', store.courseId()]" data-testid="wizard-open-course">
                Open the course
              </a>
            }
          }
        </section>
      }
    }
  `,
  styles: `
    .topic-form {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 8px 16px;
      max-width: 900px;
    }
    .wide {
      grid-column: 1 / -1;
      width: 100%;
    }
    .row {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .actions {
      margin-top: 16px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error-box {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      flex-direction: column;
      color: var(--mat-sys-error);
      margin: 12px 0;
    }
    .proposals {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
      gap: 16px;
    }
    .proposal {
      cursor: pointer;
    }
    .proposal.selected {
      outline: 3px solid var(--mat-sys-primary);
    }
    .editor {
      margin-top: 24px;
      max-width: 900px;
    }
    .draft-projects {
      padding-left: 20px;
    }
    .draft-project {
      margin-bottom: 16px;
    }
    .approved {
      max-width: 720px;
      margin: 16px auto;
      padding: 24px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      text-align: center;
    }
    .approved-title {
      font: var(--mat-sys-title-large);
    }
    .choices {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 16px;
      margin: 24px 0 16px;
    }
    .choice {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 16px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 12px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    .choice.recommended {
      border: 2px solid var(--mat-sys-primary);
    }
    .choice:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .choice-title {
      font: var(--mat-sys-title-medium);
    }
    .cap-row {
      display: flex;
      justify-content: center;
      margin-top: 12px;
    }
    .choice-tag {
      color: var(--mat-sys-primary);
    }
    .review {
      margin: 16px 0;
    }
    .success {
      color: #15803d;
    }
    @media (max-width: 600px) {
      .choices {
        grid-template-columns: 1fr;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WizardPage {
  protected readonly store = inject(WizardStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly levels = COURSE_LEVELS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    topic: ['', [Validators.required, Validators.maxLength(200)]],
    audience: [''],
    level: ['beginner' as CourseLevel],
    language: ['en', Validators.required],
    projectCount: [5, [Validators.required, Validators.min(1), Validators.max(10)]],
  });

  protected generate(): void {
    if (this.form.valid) {
      this.store.generateOutlines(this.outlineRequest());
    }
  }

  protected regenerate(): void {
    const request = this.store.request();
    if (request) {
      this.store.generateOutlines(request);
    }
  }

  protected queue(): void {
    this.store.queue().subscribe({
      next: () => {
        this.snackBar.open('Course queued for generation', undefined, { duration: 5000 });
        void this.router.navigateByUrl('/course-generation-queue');
      },
      error: () => undefined, // shown by the store
    });
  }

  protected stepTitle(): string {
    return STEP_TITLES[this.store.step()] ?? '';
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }

  private outlineRequest(): GenerateOutlinesRequest {
    const value = this.form.getRawValue();
    return {
      topic: value.topic.trim(),
      audience: value.audience.trim() || undefined,
      level: value.level,
      language: value.language.trim() || undefined,
      project_count: value.projectCount,
    };
  }
}
