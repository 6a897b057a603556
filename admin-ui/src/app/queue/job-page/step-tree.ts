import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { StepView } from '@contracts/api';

import { StepLine } from './step-line';
import { type ProjectNode, buildStepTree } from './step-tree-model';

/** The steps of one run as a tree: project → its lessons step → each lesson → its tasks step. */
@Component({
  selector: 'cl-step-tree',
  imports: [StepLine],
  templateUrl: './step-tree.html',
  styleUrl: './step-tree.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StepTree {
  readonly steps = input.required<readonly StepView[]>();

  protected readonly tree = computed(() => buildStepTree(this.steps()));

  /** "Project 2: Title", or "Project 2" when this run did not write its lessons. */
  protected projectLabel(project: ProjectNode): string {
    const name = `Project ${project.position + 1}`;
    return project.title ? `${name}: ${project.title}` : name;
  }
}
