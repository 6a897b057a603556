import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys for machines (docs/accounts-and-curriculum.md#api-keys): only the SHA-256 of a key is stored, with its
 * visible prefix (unique, the lookup), its role and its creator, whom a request made with the key acts as. A revoked
 * key keeps its row (revoked_at), so its name still explains what it did.
 */
export class ApiKeys1796000500000 implements MigrationInterface {
  name = 'ApiKeys1796000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('owner', 'admin')),
        prefix text NOT NULL,
        key_hash bytea NOT NULL CHECK (octet_length(key_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix)`);
    await q.query(
      `CREATE INDEX api_keys_organization_idx ON api_keys (organization_id, created_at) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
