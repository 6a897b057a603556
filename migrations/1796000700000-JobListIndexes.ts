import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the dashboard's filters (docs/queue.md, "Listing jobs"; the plans with 100,000 jobs: bench/README.md).
 *
 * - Search by course title is a case-insensitive substring (`ILIKE '%…%'`): only a trigram index serves that, so the
 *   migration creates the `pg_trgm` extension (shipped with PostgreSQL's contrib; creating it needs a role allowed
 *   to — the database owner on PostgreSQL 13+, where pg_trgm is a trusted extension).
 * - Status and job type filters, newest first, within an organization: (organization_id, <column>, created_at DESC)
 *   serves both the page (already in order) and the count, with any date range on created_at.
 */
export class JobListIndexes1796000700000 implements MigrationInterface {
  name = 'JobListIndexes1796000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX courses_title_trgm_idx ON courses USING gin (title gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX idx_course_gen_jobs_org_status ON course_generation_jobs (organization_id, status, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX idx_course_gen_jobs_org_type ON course_generation_jobs (organization_id, job_type, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_course_gen_jobs_org_type`);
    await q.query(`DROP INDEX idx_course_gen_jobs_org_status`);
    await q.query(`DROP INDEX courses_title_trgm_idx`);
    // The extension stays: other objects may use it by now, and it costs nothing unused.
  }
}
