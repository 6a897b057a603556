import type { RegenerationTarget } from '../../../../../contracts/api';

/**
 * A `course_regeneration` job's `params` (docs/regeneration.md): the part it rewrites, as the request named it. The
 * item's title is kept from when the job was queued, so the job's view (JobView.target) names it without reading the
 * curriculum — and still names it if the item is deleted later.
 */
export interface RegenerationParams {
  target: RegenerationTarget;
  /** The project (project_lessons) or lesson (lesson_tasks). */
  item_id: string;
  item_title: string;
  instructions: string | null;
}

export const regenerationParams = (job: { params: Record<string, unknown> }): RegenerationParams =>
  job.params as unknown as RegenerationParams;
