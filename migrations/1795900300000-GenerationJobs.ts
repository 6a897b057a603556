import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The plan's `course_generation_jobs`, plus what the design needs: updated_at, failed_step and token totals.
 * At most one non-terminal job per course, enforced by a partial unique index.
 */
export class GenerationJobs1795900300000 implements MigrationInterface {
  name = 'GenerationJobs1795900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE course_generation_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN
          ('pending', 'generating_lessons', 'generating_tasks', 'finalizing', 'completed', 'failed', 'cancelled')),
        current_step text NULL CHECK (current_step IN ('lessons', 'tasks', 'finalizing')),
        current_item text NULL,
        items_completed int NOT NULL DEFAULT 0 CHECK (items_completed >= 0),
        items_total int NOT NULL DEFAULT 0 CHECK (items_total >= 0),
        logs jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        completed_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        error_message text NULL,
        failed_step text NULL CHECK (failed_step IN ('lessons', 'tasks', 'finalizing')),
        retry_count int NOT NULL DEFAULT 0,
        auto_publish boolean NOT NULL DEFAULT false,
        prompt_tokens bigint NOT NULL DEFAULT 0,
        completion_tokens bigint NOT NULL DEFAULT 0
      )`);
    await q.query(
      `CREATE INDEX idx_course_gen_jobs_user ON course_generation_jobs (user_id, created_at DESC)`,
    );
    await q.query(`CREATE INDEX idx_course_gen_jobs_status ON course_generation_jobs (status)`);
    await q.query(
      `CREATE INDEX idx_course_gen_jobs_org ON course_generation_jobs (organization_id, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX idx_course_gen_jobs_course ON course_generation_jobs (course_id, created_at DESC)`,
    );
    // The dashboard polls `?status=active`: a small partial index serves it however many jobs have finished.
    await q.query(`
      CREATE INDEX idx_course_gen_jobs_active ON course_generation_jobs (organization_id, created_at DESC)
      WHERE status IN ('pending', 'generating_lessons', 'generating_tasks', 'finalizing')`);
    await q.query(`
      CREATE UNIQUE INDEX course_generation_jobs_one_active_per_course ON course_generation_jobs (course_id)
      WHERE status IN ('pending', 'generating_lessons', 'generating_tasks', 'finalizing')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE course_generation_jobs`);
  }
}
