import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost of model calls (docs/costs.md): each step, job and usage row carries its price in USD (NULL on a step or usage
 * row = the model's price is unknown; a job counts such calls in `unpriced_calls` instead of guessing), and the
 * prompt tokens the provider served from its cache. Usage rows also say who caused the call and for which job type,
 * for the monthly report (`GET /api/admin/usage`).
 */
export class Costs1796000200000 implements MigrationInterface {
  name = 'Costs1796000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE generation_steps
        ADD COLUMN cost_usd numeric(14,6) NULL,
        ADD COLUMN cached_tokens int NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0)`);
    await q.query(`
      ALTER TABLE course_generation_jobs
        ADD COLUMN cost_usd numeric(14,6) NOT NULL DEFAULT 0,
        ADD COLUMN unpriced_calls int NOT NULL DEFAULT 0 CHECK (unpriced_calls >= 0),
        ADD COLUMN cached_tokens bigint NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0)`);
    await q.query(`
      ALTER TABLE generation_usage
        ADD COLUMN cost_usd numeric(14,6) NULL,
        ADD COLUMN cached_tokens int NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0),
        ADD COLUMN user_id uuid NULL REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN job_type text NULL`);
    // The monthly report reads one organization's rows of one month: its courses (courses_organization_* indexes),
    // then each course's rows of the month by range on this index — which the existing (course_id, created_at)
    // index already serves. This one covers the report's columns too, so the rows are read from the index alone
    // where the visibility map allows (docs/costs.md, "The usage report").
    await q.query(`DROP INDEX generation_usage_course_idx`);
    await q.query(`
      CREATE INDEX generation_usage_course_idx ON generation_usage (course_id, created_at)
        INCLUDE (model, user_id, job_type, prompt_tokens, completion_tokens, cached_tokens, cost_usd)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX generation_usage_course_idx`);
    await q.query(`CREATE INDEX generation_usage_course_idx ON generation_usage (course_id, created_at)`);
    await q.query(`
      ALTER TABLE generation_usage
        DROP COLUMN job_type, DROP COLUMN user_id, DROP COLUMN cached_tokens, DROP COLUMN cost_usd`);
    await q.query(`
      ALTER TABLE course_generation_jobs
        DROP COLUMN cached_tokens, DROP COLUMN unpriced_calls, DROP COLUMN cost_usd`);
    await q.query(`ALTER TABLE generation_steps DROP COLUMN cached_tokens, DROP COLUMN cost_usd`);
  }
}
