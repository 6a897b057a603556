import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The curriculum tree: courses → projects → lessons → tasks. Positions are 0-based and unique per parent; the
 * unique constraints are DEFERRABLE so a reorder can swap positions inside one transaction
 * (`SET CONSTRAINTS … DEFERRED`). Deleting a course removes its whole tree.
 */
export class Curriculum1795900100000 implements MigrationInterface {
  name = 'Curriculum1795900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_by uuid NULL REFERENCES users(id) ON DELETE SET NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        topic text NOT NULL DEFAULT '',
        audience text NOT NULL DEFAULT '',
        level text NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
        language text NOT NULL DEFAULT 'en',
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'generating', 'ready', 'published', 'archived')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL
      )`);
    await q.query(
      `CREATE INDEX courses_organization_updated_idx ON courses (organization_id, updated_at DESC)`,
    );
    await q.query(`CREATE INDEX courses_organization_status_idx ON courses (organization_id, status)`);
    await q.query(`CREATE INDEX courses_created_by_idx ON courses (created_by)`);

    await q.query(`
      CREATE TABLE course_projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        objectives jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_projects_course_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY IMMEDIATE
      )`);

    await q.query(`
      CREATE TABLE lessons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES course_projects(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        title text NOT NULL,
        summary text NOT NULL DEFAULT '',
        content text NOT NULL DEFAULT '',
        estimated_minutes int NULL CHECK (estimated_minutes >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lessons_project_position_key UNIQUE (project_id, position) DEFERRABLE INITIALLY IMMEDIATE
      )`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lesson_id uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        title text NOT NULL,
        instructions text NOT NULL DEFAULT '',
        kind text NOT NULL CHECK (kind IN ('exercise', 'quiz', 'reflection', 'project')),
        estimated_minutes int NULL CHECK (estimated_minutes >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tasks_lesson_position_key UNIQUE (lesson_id, position) DEFERRABLE INITIALLY IMMEDIATE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE lessons`);
    await q.query(`DROP TABLE course_projects`);
    await q.query(`DROP TABLE courses`);
  }
}
