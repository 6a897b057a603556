import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of course parts (docs/regeneration.md, "Versions"): before a regeneration, a manual edit or a restore
 * replaces a part, what was there is kept as a JSONB snapshot in the course API's shape. A version belongs to its
 * course (deleted with it) and its organization. `job_id` has no foreign key: the version says which job replaced
 * the part even after that job's row is gone. `created_at` defaults to clock_timestamp(), taken under the course's
 * lock, so versions of one course sort in the order they were taken.
 *
 * Courses gain the published-course rule's setting and notice (docs/regeneration.md, "Published courses").
 */
export class ContentVersions1796000000000 implements MigrationInterface {
  name = 'ContentVersions1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE content_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        item_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('project_lessons', 'lesson_tasks', 'lesson', 'task')),
        cause text NOT NULL CHECK (cause IN ('regenerated', 'edited', 'restored')),
        snapshot jsonb NOT NULL,
        label text NOT NULL DEFAULT '',
        job_id uuid NULL,
        model text NULL,
        prompt_id text NULL,
        user_id uuid NULL REFERENCES users(id) ON DELETE SET NULL,
        user_name text NULL,
        restored_version_id uuid NULL REFERENCES content_versions(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE INDEX content_versions_course_item_created_idx
        ON content_versions (course_id, item_id, created_at DESC)`);
    await q.query(`
      ALTER TABLE courses
        ADD COLUMN auto_publish_updates boolean NOT NULL DEFAULT false,
        ADD COLUMN review_notice text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses DROP COLUMN review_notice, DROP COLUMN auto_publish_updates`);
    await q.query(`DROP TABLE content_versions`);
  }
}
