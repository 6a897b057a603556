import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Steps as records and the log as a table (docs/queue.md, "Steps" and "The job log"): `generation_steps` holds one
 * row per step per run, `job_logs` one row per log line (its id is the paging cursor). Appending either is an INSERT,
 * so its cost does not grow with the job. The jobs' JSONB `logs` are copied into `job_logs`; the column stays for
 * `down` but is no longer written. Jobs gain `job_type` and `params` for the job types.
 */
export class GenerationSteps1795900500000 implements MigrationInterface {
  name = 'GenerationSteps1795900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE course_generation_jobs
        ADD COLUMN job_type text NOT NULL DEFAULT 'course_generation',
        ADD COLUMN params jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE generation_steps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL REFERENCES course_generation_jobs(id) ON DELETE CASCADE,
        run int NOT NULL CHECK (run >= 0),
        kind text NOT NULL,
        item_id uuid NOT NULL,
        item_title text NOT NULL DEFAULT '',
        parent_item_id uuid NULL,
        project_position int NOT NULL DEFAULT 0,
        lesson_position int NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN
          ('queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        attempt_history jsonb NOT NULL DEFAULT '[]',
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        duration_ms int NULL,
        model text NULL,
        prompt_id text NULL,
        prompt_tokens int NULL,
        completion_tokens int NULL,
        error_kind text NULL,
        error_message text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT generation_steps_one_per_run UNIQUE (job_id, run, kind, item_id)
      )`);
    // The steps API and the per-status counts read one job's run: (job_id, run) is the unique index's prefix;
    // this one returns them in course order without a sort.
    await q.query(`
      CREATE INDEX idx_generation_steps_order
        ON generation_steps (job_id, run, project_position, lesson_position NULLS FIRST, kind)`);
    await q.query(`
      CREATE TABLE job_logs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES course_generation_jobs(id) ON DELETE CASCADE,
        timestamp timestamptz NOT NULL DEFAULT now(),
        level text NOT NULL,
        message text NOT NULL,
        details jsonb NULL
      )`);
    await q.query(`CREATE INDEX idx_job_logs_job ON job_logs (job_id, id)`);
    // Old jobs keep their history, in order.
    await q.query(`
      INSERT INTO job_logs (job_id, timestamp, level, message, details)
      SELECT j.id, COALESCE((e.entry->>'timestamp')::timestamptz, j.created_at), COALESCE(e.entry->>'level', 'info'),
             COALESCE(e.entry->>'message', ''), e.entry->'details'
      FROM course_generation_jobs j
      CROSS JOIN LATERAL jsonb_array_elements(j.logs) WITH ORDINALITY AS e(entry, n)
      ORDER BY j.created_at, j.id, e.n`);
    await q.query(`UPDATE course_generation_jobs SET logs = '[]' WHERE logs <> '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE course_generation_jobs j SET logs = COALESCE((
        SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                 'timestamp', to_char(l.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 'level', l.level, 'message', l.message, 'details', l.details)) ORDER BY l.id)
        FROM job_logs l WHERE l.job_id = j.id), '[]')`);
    await q.query(`DROP TABLE job_logs`);
    await q.query(`DROP TABLE generation_steps`);
    await q.query(`ALTER TABLE course_generation_jobs DROP COLUMN params, DROP COLUMN job_type`);
  }
}
