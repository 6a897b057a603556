import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The quality gate's last report on a course (docs/generation.md, "Quality gate"): written when an auto-publishing
 * generation job completes; kept as history after the course is published by hand.
 */
export class QualityReports1796000300000 implements MigrationInterface {
  name = 'QualityReports1796000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses ADD COLUMN quality_report jsonb NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses DROP COLUMN quality_report`);
  }
}
