import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation's identity (docs/queue.md, "Sharing one Redis"): one row with a random id, claimed in Redis under
 * REDIS_PREFIX so that a second installation on the same prefix refuses to start. The row is written by the first
 * process that starts (server/src/installation/), not here: databases copied from a migrated template (as the tests
 * do) then each get their own id.
 */
export class Installation1796000800000 implements MigrationInterface {
  name = 'Installation1796000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE installation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE installation`);
  }
}
