import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staging table of the `course_regeneration` job type (docs/regeneration.md, "Regenerate a part"): its steps
 * write the new lessons and tasks here, and only the job's completion swaps them into the course, in one transaction.
 * A staged lesson's id is the id the lesson keeps once written; its tasks name it as their parent. Rows outlive a
 * failed run (a retry resumes from them) and go with their job.
 */
export class RegenerationDrafts1796000100000 implements MigrationInterface {
  name = 'RegenerationDrafts1796000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regeneration_drafts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL REFERENCES course_generation_jobs(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('lesson', 'task')),
        parent_id uuid NOT NULL,
        position int NOT NULL CHECK (position >= 0),
        content jsonb NOT NULL,
        model text NULL,
        prompt_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT regeneration_drafts_one_per_place UNIQUE (job_id, kind, parent_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE regeneration_drafts`);
  }
}
