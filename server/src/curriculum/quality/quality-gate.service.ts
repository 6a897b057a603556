import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QualityCheck, QualityReport } from '../../../../contracts/api';
import { AppConfig } from '../../config/app-config';
import { CourseQueryService } from '../course-query.service';
import { runQualityGate } from './quality-gate';

/** What the review banner and the job log call each check. */
export const CHECK_NAMES: Record<QualityCheck, string> = {
  counts: 'missing or extra parts',
  duplicate_titles: 'near-duplicate titles',
  placeholders: 'placeholders',
  markdown: 'Markdown that does not render',
  language: 'text not in the course language',
};

/** The review banner of a course the gate held (docs/generation.md, "Quality gate"). */
export function heldNotice(report: QualityReport): string {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const kinds = [...new Set(errors.map((p) => CHECK_NAMES[p.check]))].join(', ');
  const n = `${errors.length}${report.problems_total > report.problems.length ? '+' : ''}`;
  return `Held for review: the quality gate found ${n} problem${n === '1' ? '' : 's'} (${kinds}); nothing was published. See the report below.`;
}

/**
 * Runs the quality gate on a generated course inside the job's completing transaction and records its report;
 * a failing course is held in `ready` with a review banner. Publishing is the caller's (CoursePublishService).
 */
@Injectable()
export class QualityGateService {
  constructor(
    private readonly config: AppConfig,
    private readonly courses: CourseQueryService,
  ) {}

  async review(m: EntityManager, courseId: string): Promise<QualityReport> {
    const [course] = await m.query<{ language: string }[]>(
      `SELECT language FROM courses WHERE id = $1 FOR UPDATE`,
      [courseId],
    );
    const projects = await this.courses.tree(courseId, m);
    // No expected project count: the approved outline IS the course's projects (approval writes them, generation
    // never adds or removes one, hand edits wait while a job runs), so only empty parts can be missing.
    const report = runQualityGate(
      { language: course?.language ?? 'en', projects },
      { title_similarity: this.config.QUALITY_TITLE_SIMILARITY },
    );
    if (report.passed) {
      await m.query(`UPDATE courses SET quality_report = $2 WHERE id = $1`, [courseId, report]);
    } else {
      await m.query(
        `UPDATE courses SET status = 'ready', review_notice = $2, quality_report = $3, updated_at = now()
          WHERE id = $1 AND status IN ('generating', 'ready', 'draft')`,
        [courseId, heldNotice(report), report],
      );
    }
    return report;
  }
}
