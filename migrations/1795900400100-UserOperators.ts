import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators run the installation (Bull Board, cluster-wide actions); organization roles stay per tenant. The
 * oldest owner — the one made at first start — becomes an operator, so an existing installation keeps one.
 * See docs/accounts-and-curriculum.md.
 */
export class UserOperators1795900400100 implements MigrationInterface {
  name = 'UserOperators1795900400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN is_operator boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE users SET is_operator = true
      WHERE id = (SELECT id FROM users WHERE role = 'owner' ORDER BY created_at, id LIMIT 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN is_operator`);
  }
}
