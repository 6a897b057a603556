import { MigrationInterface, QueryRunner } from 'typeorm';

/** Token usage of every model call, recorded against its course (and its job, when the queue made the call). */
export class GenerationUsage1795900200000 implements MigrationInterface {
  name = 'GenerationUsage1795900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE generation_usage (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        job_id uuid NULL,
        stage text NOT NULL CHECK (stage IN ('outline', 'lessons', 'tasks')),
        model text NOT NULL,
        prompt_tokens int NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens int NOT NULL CHECK (completion_tokens >= 0),
        duration_ms int NOT NULL CHECK (duration_ms >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX generation_usage_course_idx ON generation_usage (course_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE generation_usage`);
  }
}
