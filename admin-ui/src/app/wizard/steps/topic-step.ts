import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { COURSE_LEVELS, type CourseLevel, type GenerateOutlinesRequest } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { WizardStore } from '../wizard-store';

/** Step 1: what the course is about. Starts from the last request, so Back keeps what was typed. */
@Component({
  selector: 'cl-topic-step',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  template: `
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
        <div class="row" data-testid="outlines-progress" aria-live="polite">
          <mat-progress-bar mode="indeterminate" />
          <p class="muted">Writing outline proposals… this can take a minute with a real model.</p>
        </div>
      }
    </form>
  `,
  styles: `
    .topic-form {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 8px 16px;
      max-width: 900px;
    }
    .wide,
    .row {
      grid-column: 1 / -1;
      width: 100%;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TopicStep {
  protected readonly store = inject(WizardStore);
  protected readonly levels = COURSE_LEVELS;

  private readonly last = this.store.request();
  protected readonly form = inject(NonNullableFormBuilder).group({
    topic: [this.last?.topic ?? '', [Validators.required, Validators.maxLength(200)]],
    audience: [this.last?.audience ?? ''],
    level: [this.last?.level ?? ('beginner' as CourseLevel)],
    language: [this.last?.language ?? 'en', Validators.required],
    projectCount: [
      this.last?.project_count ?? 5,
      [Validators.required, Validators.min(1), Validators.max(10)],
    ],
  });

  protected generate(): void {
    if (this.form.valid) {
      this.store.generateOutlines(this.outlineRequest());
    }
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
