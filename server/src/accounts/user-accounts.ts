import bcrypt from 'bcryptjs';
import type { EntityManager } from 'typeorm';
import type { UserRole } from '../../../contracts/api';
import { ConflictError, InvalidInputError } from '../common/domain-error';
import { passwordProblem } from './password-hasher';

/** The organization made on first start, and used by `user:create` when no organization exists yet. */
export const DEFAULT_ORGANIZATION_NAME = 'Courseloom';

export interface NewUserAccount {
  email: string;
  password: string;
  role: UserRole;
  /** An operator of the installation (first-start owner, `user:create --operator`); never set over HTTP. */
  operator?: boolean;
  /** An existing organization's id (the HTTP endpoint: the owner's own organization). */
  organizationId?: string;
  /** Found by name (case-insensitively) or created; with neither, the oldest organization (or a new default one). */
  organizationName?: string;
}

export interface UserRow {
  id: string;
  email: string;
  role: UserRole;
  is_operator: boolean;
  organization_id: string;
  organization_name: string;
  created_at: Date;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The organization's id, creating it when missing (safe against a concurrent create of the same name). */
export async function ensureOrganization(manager: EntityManager, name: string): Promise<string> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200)
    throw new InvalidInputError('An organization name is 1 to 200 characters');
  await manager.query(`INSERT INTO organizations (name) VALUES ($1) ON CONFLICT ((lower(name))) DO NOTHING`, [
    trimmed,
  ]);
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM organizations WHERE lower(name) = lower($1)`,
    [trimmed],
  );
  return rows[0].id;
}

async function defaultOrganization(manager: EntityManager): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`,
  );
  return rows[0]?.id ?? ensureOrganization(manager, DEFAULT_ORGANIZATION_NAME);
}

/**
 * Creates a user (and its organization when asked for by a new name). Shared by the HTTP endpoint, the
 * first-start bootstrap and the `user:create` CLI; run it inside a transaction.
 */
export async function createUserAccount(
  manager: EntityManager,
  input: NewUserAccount,
  bcryptCost: number,
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
    throw new InvalidInputError(`"${input.email}" is not an email address`);
  if (input.role !== 'owner' && input.role !== 'admin')
    throw new InvalidInputError('The role must be owner or admin');
  const problem = passwordProblem(input.password);
  if (problem) throw new InvalidInputError(problem);

  const organizationId =
    input.organizationId ??
    (input.organizationName === undefined
      ? await defaultOrganization(manager)
      : await ensureOrganization(manager, input.organizationName));
  const hash = await bcrypt.hash(input.password, bcryptCost);
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO users (organization_id, email, password_hash, role, is_operator) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
    [organizationId, email, hash, input.role, input.operator === true],
  );
  if (inserted.length === 0) throw new ConflictError(`A user with the email ${email} already exists`);
  return (await findUserRows(manager, 'u.id = $1', [inserted[0].id]))[0];
}

export function findUserRows(manager: EntityManager, where: string, params: unknown[]): Promise<UserRow[]> {
  return manager.query(
    `SELECT u.id, u.email, u.role, u.is_operator, u.organization_id, o.name AS organization_name, u.created_at
       FROM users u JOIN organizations o ON o.id = u.organization_id
      WHERE ${where}
      ORDER BY u.created_at, u.email`,
    params,
  );
}
