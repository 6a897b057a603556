import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  CourseDetail,
  GenerateOutlinesRequest,
  GenerationEstimate,
  LessonView,
  Outline,
  OutlineProject,
  ProjectView,
  ProviderInfo,
  PublishConflict,
  QueueCourseResponse,
} from '@contracts/api';
import { Observable, finalize } from 'rxjs';

import { CoursesApi } from '../curriculum/courses-api';
import { JobsApi } from '../queue/jobs-api';
import { apiErrorBody, errorMessage, httpStatus, isBudgetExhausted } from '../shared/api-error';
import { JOB_CAP_RULES, parseUsd } from '../shared/budget';
import { GenerationApi } from './generation-api';

/**
 * topic → outlines (choose + edit) → approved (the plan's panel) →
 * either Generate & Queue (leaves the wizard) or the manual path: lessons → tasks → review (publish).
 */
export type WizardStep = 'topic' | 'outlines' | 'approved' | 'lessons' | 'tasks' | 'review';
export type WizardBusy = 'outlines' | 'approve' | 'queue' | 'lessons' | 'tasks' | 'review' | 'publish';

export const MANUAL_STEPS: readonly WizardStep[] = ['lessons', 'tasks', 'review'];

function emptyProject(): OutlineProject {
  return { title: '', description: '', objectives: [] };
}

/** The wizard's state; provided by the wizard page. Every transition is a method; the page only renders. */
@Injectable()
export class WizardStore {
  private readonly generation = inject(GenerationApi);
  private readonly jobs = inject(JobsApi);
  private readonly courses = inject(CoursesApi);
  private readonly destroyRef = inject(DestroyRef);

  // Writable state is private; the page reads the read-only views below and changes state only through methods.
  private readonly stepState = signal<WizardStep>('topic');
  private readonly busyState = signal<WizardBusy | null>(null);
  private readonly errorState = signal<string | null>(null);
  private readonly requestState = signal<GenerateOutlinesRequest | null>(null);
  private readonly outlinesState = signal<readonly Outline[]>([]);
  private readonly providerState = signal<ProviderInfo | null>(null);
  private readonly selectedState = signal<number | null>(null);
  private readonly draftState = signal<Outline | null>(null);
  private readonly courseIdState = signal<string | null>(null);
  private readonly autoPublishState = signal(true);
  private readonly activeJobIdState = signal<string | null>(null);
  private readonly estimateState = signal<GenerationEstimate | null>(null);
  private readonly estimateErrorState = signal<string | null>(null);
  private readonly costCapState = signal('');
  private readonly budgetExhaustedState = signal(false);
  private readonly projectsState = signal<readonly ProjectView[]>([]);
  private readonly lessonsState = signal<readonly LessonView[]>([]);
  private readonly courseState = signal<CourseDetail | null>(null);
  private readonly publishConflictState = signal<PublishConflict['missing'] | null>(null);
  private readonly publishedState = signal(false);
  private generationId: string | undefined;

  readonly step = this.stepState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly request = this.requestState.asReadonly();
  readonly outlines = this.outlinesState.asReadonly();
  readonly provider = this.providerState.asReadonly();
  readonly selected = this.selectedState.asReadonly();
  /** The chosen outline as edited; the proposals stay as generated. */
  readonly draft = this.draftState.asReadonly();
  readonly courseId = this.courseIdState.asReadonly();
  readonly autoPublish = this.autoPublishState.asReadonly();
  /** The active job's id when queueing answered 409. */
  readonly activeJobId = this.activeJobIdState.asReadonly();
  /** What Generate & Queue would cost and take (docs/costs.md, "Budgets and estimates"); null until loaded. */
  readonly estimate = this.estimateState.asReadonly();
  readonly estimateError = this.estimateErrorState.asReadonly();
  /** The optional "Cost cap (USD)" as typed: empty = the organization's default cap. */
  readonly costCap = this.costCapState.asReadonly();
  readonly costCapError = computed(() => parseUsd(this.costCap(), JOB_CAP_RULES).error);
  /** The last request answered 402: the organization's monthly model budget is used up. */
  readonly budgetExhausted = this.budgetExhaustedState.asReadonly();
  readonly projects = this.projectsState.asReadonly();
  readonly lessons = this.lessonsState.asReadonly();
  readonly course = this.courseState.asReadonly();
  readonly publishConflict = this.publishConflictState.asReadonly();
  readonly published = this.publishedState.asReadonly();

  readonly sample = computed(() => this.provider()?.sample === true);
  readonly canApprove = computed(() => {
    const draft = this.draft();
    return (
      !!draft &&
      draft.title.trim().length > 0 &&
      draft.projects.length > 0 &&
      draft.projects.every((project) => project.title.trim().length > 0)
    );
  });
  readonly projectCount = computed(() => this.draft()?.projects.length ?? 0);

  generateOutlines(request: GenerateOutlinesRequest): void {
    this.requestState.set(request);
    this.run('outlines', this.generation.generateOutlines(request), (response) => {
      this.generationId = response.generation_id;
      this.outlinesState.set(response.outlines);
      this.providerState.set(response.provider);
      this.selectedState.set(null);
      this.draftState.set(null);
      this.stepState.set('outlines');
    });
  }

  /** Back to the topic form (keeps what was typed). */
  editTopic(): void {
    this.errorState.set(null);
    this.stepState.set('topic');
  }

  select(index: number): void {
    const outline = this.outlines()[index];
    if (!outline || this.step() !== 'outlines') {
      return;
    }
    this.selectedState.set(index);
    this.draftState.set(structuredClone(outline));
  }

  setTitle(title: string): void {
    this.editDraft((draft) => ({ ...draft, title }));
  }

  setDescription(description: string): void {
    this.editDraft((draft) => ({ ...draft, description }));
  }

  updateProject(index: number, patch: Partial<OutlineProject>): void {
    this.editDraft((draft) => ({
      ...draft,
      projects: draft.projects.map((project, i) => (i === index ? { ...project, ...patch } : project)),
    }));
  }

  addProject(): void {
    this.editDraft((draft) => ({ ...draft, projects: [...draft.projects, emptyProject()] }));
  }

  removeProject(index: number): void {
    this.editDraft((draft) => ({ ...draft, projects: draft.projects.filter((_, i) => i !== index) }));
  }

  /** Swap a project with its neighbour (`delta` -1 = up, +1 = down). */
  moveProject(index: number, delta: -1 | 1): void {
    this.editDraft((draft) => {
      const target = index + delta;
      if (target < 0 || target >= draft.projects.length) {
        return draft;
      }
      const projects = [...draft.projects];
      [projects[index], projects[target]] = [projects[target], projects[index]];
      return { ...draft, projects };
    });
  }

  approve(): void {
    const draft = this.draft();
    const request = this.request();
    if (!draft || !request || !this.canApprove()) {
      return;
    }
    const outline: Outline = {
      title: draft.title.trim(),
      description: draft.description.trim(),
      projects: draft.projects.map((project) => ({
        ...project,
        title: project.title.trim(),
        description: project.description.trim(),
      })),
    };
    this.run(
      'approve',
      this.generation.approveOutline({
        outline,
        topic: request.topic,
        audience: request.audience,
        level: request.level,
        language: request.language,
        // Lets the server record the outline call's token usage on the new course.
        generation_id: this.generationId,
      }),
      (response) => {
        this.draftState.set(outline);
        this.courseIdState.set(response.course_id);
        this.stepState.set('approved');
        this.loadEstimate(response.course_id);
      },
    );
  }

  setCostCap(text: string): void {
    this.costCapState.set(text);
  }

  /** The approved panel's estimate; a failure only says so (queueing does not need it). */
  private loadEstimate(courseId: string): void {
    this.estimateState.set(null);
    this.estimateErrorState.set(null);
    this.jobs
      .estimate(courseId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (estimate) => this.estimateState.set(estimate),
        error: (error: unknown) =>
          this.estimateErrorState.set(errorMessage(error, 'the estimate could not be loaded')),
      });
  }

  setAutoPublish(on: boolean): void {
    this.autoPublishState.set(on);
  }

  /**
   * Generate & Queue; `queued` runs once the job exists (the page shows the toast and navigates). A 409 remembers
   * the active job, a 402 marks the monthly budget as used up; both keep the panel with the message.
   */
  queue(queued: (response: QueueCourseResponse) => void): void {
    const courseId = this.courseId();
    if (!courseId) {
      throw new Error('queue() before the outline was approved');
    }
    const cap = parseUsd(this.costCap(), JOB_CAP_RULES);
    if (cap.error) {
      throw new Error('queue() with an invalid cost cap');
    }
    this.activeJobIdState.set(null);
    this.run(
      'queue',
      this.jobs.queueCourse(courseId, this.autoPublish(), cap.value ?? undefined),
      queued,
      (error) => {
        const jobId = apiErrorBody(error)?.['job_id'];
        if (httpStatus(error) === 409 && typeof jobId === 'string') {
          this.activeJobIdState.set(jobId);
        }
      },
      'The course could not be queued.',
    );
  }

  /** Generate Manually: continue step by step. */
  startManual(): void {
    if (this.step() === 'approved') {
      this.errorState.set(null);
      this.stepState.set('lessons');
    }
  }

  generateLessons(): void {
    const courseId = this.courseId();
    if (courseId) {
      this.run('lessons', this.generation.generateLessons(courseId), (response) =>
        this.projectsState.set(response.projects),
      );
    }
  }

  continueToTasks(): void {
    if (this.step() === 'lessons' && this.projects().length > 0) {
      this.errorState.set(null);
      this.stepState.set('tasks');
    }
  }

  generateTasks(): void {
    const courseId = this.courseId();
    if (courseId) {
      this.run('tasks', this.generation.generateTasks(courseId), (response) =>
        this.lessonsState.set(response.lessons),
      );
    }
  }

  continueToReview(): void {
    const courseId = this.courseId();
    if (this.step() !== 'tasks' || this.lessons().length === 0 || !courseId) {
      return;
    }
    this.errorState.set(null);
    this.stepState.set('review');
    this.run('review', this.courses.get(courseId), (course) => this.courseState.set(course));
  }

  publish(): void {
    const courseId = this.courseId();
    if (!courseId) {
      return;
    }
    this.publishConflictState.set(null);
    this.run(
      'publish',
      this.courses.publish(courseId),
      () => this.publishedState.set(true),
      (error) => {
        const missing = apiErrorBody(error)?.['missing'] as PublishConflict['missing'] | undefined;
        if (httpStatus(error) === 409 && missing) {
          this.publishConflictState.set(missing);
        }
      },
    );
  }

  private editDraft(change: (draft: Outline) => Outline): void {
    const draft = this.draft();
    if (draft && this.step() === 'outlines') {
      this.draftState.set(change(draft));
    }
  }

  private run<T>(
    busy: WizardBusy,
    request: Observable<T>,
    done: (value: T) => void,
    failed?: (error: unknown) => void,
    fallbackMessage?: string,
  ): void {
    this.busyState.set(busy);
    this.errorState.set(null);
    this.budgetExhaustedState.set(false);
    request
      .pipe(
        finalize(() => this.busyState.set(null)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: done,
        error: (error: unknown) => {
          this.budgetExhaustedState.set(isBudgetExhausted(error));
          this.errorState.set(errorMessage(error, fallbackMessage));
          failed?.(error);
        },
      });
  }
}
