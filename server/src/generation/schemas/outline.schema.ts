import { z } from 'zod';
import type { Outline } from '../../../../contracts/api';
import { COUNT_LIMITS } from '../generation.constants';
import { text, uniqueTitles } from './schema-helpers';

export const OUTLINE_LIMITS = {
  title: 120,
  description: 600,
  projects: COUNT_LIMITS.projects,
  objectives: { min: 1, max: 6 },
  objective: 200,
} as const;

export const outlineProjectSchema = z.object({
  title: text(OUTLINE_LIMITS.title),
  description: text(OUTLINE_LIMITS.description),
  objectives: z
    .array(text(OUTLINE_LIMITS.objective))
    .min(OUTLINE_LIMITS.objectives.min)
    .max(OUTLINE_LIMITS.objectives.max),
});

/** One course outline with `projectCount` projects (any count within bounds when omitted). */
export function outlineSchema(projectCount?: number) {
  const projects = z.array(outlineProjectSchema);
  return z
    .object({
      title: text(OUTLINE_LIMITS.title),
      description: text(OUTLINE_LIMITS.description),
      projects:
        projectCount === undefined
          ? projects.min(OUTLINE_LIMITS.projects.min).max(OUTLINE_LIMITS.projects.max)
          : projects.length(projectCount),
    })
    .superRefine((outline, ctx) => uniqueTitles(outline.projects, ctx, 'projects'));
}

export const OUTLINE_PROPOSALS_SCHEMA_NAME = 'outline_proposals';

/** The model's answer to the outline prompt: exactly `proposals` outlines of exactly `projectCount` projects. */
export function outlineProposalsSchema(proposals: number, projectCount: number) {
  return z.object({ outlines: z.array(outlineSchema(projectCount)).length(proposals) });
}

export type OutlineProposals = { outlines: Outline[] };
