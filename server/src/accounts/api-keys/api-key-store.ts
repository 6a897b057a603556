import type { DataSource } from 'typeorm';
import type { ApiKeyView, UserRole } from '../../../../contracts/api';

/** The only SQL on `api_keys` (migrations/1796000500000-ApiKeys.ts); every read but the lookup is org-scoped. */

interface ApiKeyRow {
  id: string;
  name: string;
  role: UserRole;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  created_by: string;
  creator_email: string;
}

/** What authentication needs of a live key. */
export interface ApiKeyCredential {
  id: string;
  name: string;
  role: UserRole;
  organization_id: string;
  created_by: string;
  key_hash: Buffer;
  /** last_used_at is unset or more than a minute old: time to write it again. */
  last_used_stale: boolean;
}

const VIEW_COLUMNS = `k.id, k.name, k.role, k.prefix, k.created_at, k.last_used_at, k.created_by,
  u.email AS creator_email`;

const toView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  created_at: new Date(r.created_at).toISOString(),
  last_used_at: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  created_by: { id: r.created_by, email: r.creator_email },
});

/** Inserts a key; null when its prefix is taken (the caller draws another). */
export async function insertApiKey(
  db: DataSource,
  input: {
    organizationId: string;
    createdBy: string;
    name: string;
    role: UserRole;
    prefix: string;
    hash: Buffer;
  },
): Promise<ApiKeyView | null> {
  const rows: ApiKeyRow[] = await db.query(
    `WITH k AS (
       INSERT INTO api_keys (organization_id, created_by, name, role, prefix, key_hash)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (prefix) DO NOTHING
       RETURNING *)
     SELECT ${VIEW_COLUMNS} FROM k JOIN users u ON u.id = k.created_by`,
    [input.organizationId, input.createdBy, input.name, input.role, input.prefix, input.hash],
  );
  return rows[0] ? toView(rows[0]) : null;
}

export async function listApiKeys(db: DataSource, organizationId: string): Promise<ApiKeyView[]> {
  const rows: ApiKeyRow[] = await db.query(
    `SELECT ${VIEW_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.created_by
      WHERE k.organization_id = $1 AND k.revoked_at IS NULL
      ORDER BY k.created_at, k.id`,
    [organizationId],
  );
  return rows.map(toView);
}

/** Revokes a live key of the organization; false when there is none with this id. */
export async function revokeApiKey(db: DataSource, organizationId: string, id: string): Promise<boolean> {
  const rows: { n: number }[] = await db.query(
    `WITH k AS (UPDATE api_keys SET revoked_at = now()
                 WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL RETURNING id)
     SELECT count(*)::int AS n FROM k`,
    [id, organizationId],
  );
  return rows[0]?.n === 1;
}

/** The live key with this prefix, whatever its organization (the prefix is unique); null when none. */
export async function findLiveApiKey(db: DataSource, prefix: string): Promise<ApiKeyCredential | null> {
  const rows: ApiKeyCredential[] = await db.query(
    `SELECT id, name, role, organization_id, created_by, key_hash,
            (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS last_used_stale
       FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [prefix],
  );
  return rows[0] ?? null;
}

/** Sets last_used_at, unless another process did within the minute: at most one write a minute per key. */
export async function touchApiKey(db: DataSource, id: string): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
