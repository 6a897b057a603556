import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_STATUSES = `'pending', 'generating_lessons', 'generating_tasks', 'finalizing', 'completed', 'failed', 'cancelled'`;
const OLD_ACTIVE = `'pending', 'generating_lessons', 'generating_tasks', 'finalizing'`;
const NEW_STATUSES = `${OLD_STATUSES}, 'paused'`;
const NEW_ACTIVE = `${OLD_ACTIVE}, 'paused'`;

/**
 * Budgets (docs/costs.md, "Budgets and estimates"; docs/queue.md, "Paused jobs"): the `paused` job status — a paused
 * job still holds its course, so the one-active-job index and the active index include it — the job's cost cap and
 * why/where it paused, and the organization's monthly budget and default job cap.
 */
export class Budgets1796000400000 implements MigrationInterface {
  name = 'Budgets1796000400000';

  async up(q: QueryRunner): Promise<void> {
    await this.statuses(q, NEW_STATUSES, NEW_ACTIVE);
    await q.query(`
      ALTER TABLE course_generation_jobs
        ADD COLUMN max_cost_usd numeric(14,6) NULL CHECK (max_cost_usd > 0),
        ADD COLUMN paused_from text NULL CHECK (paused_from IN ('generating_lessons', 'generating_tasks')),
        ADD COLUMN pause_reason text NULL`);
    await q.query(`
      ALTER TABLE organizations
        ADD COLUMN monthly_budget_usd numeric(14,2) NULL CHECK (monthly_budget_usd > 0),
        ADD COLUMN default_job_cap_usd numeric(14,6) NULL CHECK (default_job_cap_usd > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A paused job cannot stay paused under the old check: it becomes cancelled (its course keeps what was written).
    await q.query(
      `UPDATE course_generation_jobs SET status = 'cancelled', completed_at = now() WHERE status = 'paused'`,
    );
    await q.query(
      `ALTER TABLE organizations DROP COLUMN monthly_budget_usd, DROP COLUMN default_job_cap_usd`,
    );
    await q.query(
      `ALTER TABLE course_generation_jobs DROP COLUMN max_cost_usd, DROP COLUMN paused_from, DROP COLUMN pause_reason`,
    );
    await this.statuses(q, OLD_STATUSES, OLD_ACTIVE);
  }

  private async statuses(q: QueryRunner, all: string, active: string): Promise<void> {
    const checks: { conname: string }[] = await q.query(
      `SELECT conname FROM pg_constraint
       WHERE conrelid = 'course_generation_jobs'::regclass AND contype = 'c'
         AND pg_get_constraintdef(oid) LIKE '%status%' AND pg_get_constraintdef(oid) NOT LIKE '%_step%'`,
    );
    for (const c of checks)
      await q.query(`ALTER TABLE course_generation_jobs DROP CONSTRAINT "${c.conname}"`);
    await q.query(
      `ALTER TABLE course_generation_jobs ADD CONSTRAINT course_generation_jobs_status_check CHECK (status IN (${all}))`,
    );
    await q.query(`DROP INDEX idx_course_gen_jobs_active`);
    await q.query(`
      CREATE INDEX idx_course_gen_jobs_active ON course_generation_jobs (organization_id, created_at DESC)
      WHERE status IN (${active})`);
    await q.query(`DROP INDEX course_generation_jobs_one_active_per_course`);
    await q.query(`
      CREATE UNIQUE INDEX course_generation_jobs_one_active_per_course ON course_generation_jobs (course_id)
      WHERE status IN (${active})`);
  }
}
