import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, UnsafeDefaultsError } from '../config/published-defaults';
import { bcryptCost, passwordProblem } from './password-hasher';
import { createUserAccount, DEFAULT_ORGANIZATION_NAME } from './user-accounts';

/** The development owner's email, and the published password older releases gave it (refused when exposed). */
export { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD };

/** Arbitrary constant: the API processes starting together take this lock so only one creates the owner. */
const BOOTSTRAP_LOCK_KEY = 74_310_002;

/**
 * First start (API process only): when no user exists, creates the organization "Courseloom" and its owner from
 * ADMIN_EMAIL / ADMIN_PASSWORD. ADMIN_EMAIL defaults to admin@courseloom.local and a missing ADMIN_PASSWORD is
 * replaced by a random one, printed once in the start-up log. Under NODE_ENV=test nothing is
 * made (tests make their own users) unless ADMIN_EMAIL is set. Under production rules or on a non-loopback bind,
 * start-up is refused while admin@courseloom.local still signs in with the published password
 * (docs/accounts-and-curriculum.md).
 */
@Injectable()
export class OwnerBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(OwnerBootstrap.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.refusesPublishedDefaults) await this.refusePublishedOwnerPassword();
    await this.ensureOwner();
  }

  /**
   * Under production rules or on a non-loopback bind: when admin@courseloom.local still signs in with the published
   * password, replaces it by ADMIN_PASSWORD if that is set (and ADMIN_EMAIL is unset or that email); otherwise
   * throws an UnsafeDefaultsError saying how to fix it, which stops start-up.
   */
  async refusePublishedOwnerPassword(): Promise<void> {
    const rows: { id: string; password_hash: string }[] = await this.dataSource.query(
      `SELECT id, password_hash FROM users WHERE lower(email) = $1`,
      [DEV_ADMIN_EMAIL],
    );
    const user = rows[0];
    if (!user || !(await bcrypt.compare(DEV_ADMIN_PASSWORD, user.password_hash))) return;
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config;
    const forThisUser = !ADMIN_EMAIL || ADMIN_EMAIL.trim().toLowerCase() === DEV_ADMIN_EMAIL;
    const problem = ADMIN_PASSWORD ? passwordProblem(ADMIN_PASSWORD) : null;
    if (problem)
      throw new UnsafeDefaultsError(`ADMIN_PASSWORD cannot replace the published password: ${problem}`);
    if (ADMIN_PASSWORD && forThisUser) {
      const hash = await bcrypt.hash(ADMIN_PASSWORD, bcryptCost(this.config));
      await this.dataSource.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, hash]);
      this.logger.warn(
        `Replaced the published default password of ${DEV_ADMIN_EMAIL} with ADMIN_PASSWORD; it no longer signs in with "${DEV_ADMIN_PASSWORD}"`,
      );
      return;
    }
    const why = this.config.isProduction ? 'NODE_ENV=production' : `HOST=${this.config.HOST} is not loopback`;
    throw new UnsafeDefaultsError(
      `Refusing to start: the owner ${DEV_ADMIN_EMAIL} still signs in with the published default password ` +
        `"${DEV_ADMIN_PASSWORD}" and ${why}, so anyone could sign in. Set ADMIN_PASSWORD to a new password ` +
        `(8+ characters; ADMIN_EMAIL unset or ${DEV_ADMIN_EMAIL}) and start again: start-up replaces the published ` +
        'one. See docs/accounts-and-curriculum.md.',
    );
  }

  /** Returns the email of the owner it created, or null when users already existed (or none could be made). */
  async ensureOwner(): Promise<string | null> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD, NODE_ENV } = this.config;
    let credentials: { email: string; password: string; generated: boolean } | null = null;
    if (ADMIN_EMAIL && ADMIN_PASSWORD)
      credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, generated: false };
    else if (NODE_ENV !== 'test') {
      // Never a published password: a random one when none is given, shown once below (production too, so a first
      // deployment can be signed into without a password ever sitting in its configuration).
      credentials = {
        email: ADMIN_EMAIL ?? DEV_ADMIN_EMAIL,
        password: ADMIN_PASSWORD ?? randomBytes(18).toString('base64url'),
        generated: !ADMIN_PASSWORD,
      };
    }

    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      const [{ exists }]: { exists: boolean }[] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM users) AS exists`,
      );
      if (exists) return null;
      if (!credentials) return undefined;
      const organizationId: string = (
        await manager.query(
          `INSERT INTO organizations (name) VALUES ($1) ON CONFLICT ((lower(name))) DO UPDATE SET name = organizations.name RETURNING id`,
          [DEFAULT_ORGANIZATION_NAME],
        )
      )[0].id;
      const user = await createUserAccount(
        manager,
        {
          email: credentials.email,
          password: credentials.password,
          role: 'owner',
          organizationId,
          operator: true, // the installation's first user runs it (docs/queue.md, Bull Board)
        },
        bcryptCost(this.config),
      );
      return user.email;
    });

    if (created === undefined) {
      if (ADMIN_EMAIL || ADMIN_PASSWORD) {
        this.logger.error(
          'No user exists and ADMIN_EMAIL / ADMIN_PASSWORD are not both set, so nobody can sign in. Set both and ' +
            'restart, or run: npm run user:create -- --email you@example.com --password <password> --role owner',
        );
      }
      return null;
    }
    if (created && credentials?.generated) {
      this.announceGeneratedPassword(created, credentials.password);
    } else if (created) {
      this.logger.log(
        `First start: created the owner ${created} (from ADMIN_EMAIL) in organization ${DEFAULT_ORGANIZATION_NAME}`,
      );
    }
    return created;
  }

  /**
   * The one time a password is ever printed: the random first password, only at the start that created it (it is
   * stored only as a bcrypt hash). Written to stderr too when LOG_LEVEL would hide a warning.
   */
  private announceGeneratedPassword(email: string, password: string): void {
    const text =
      `First start: created the owner ${email} with the random password ${password} — shown only this once; ` +
      'sign in at /admin and keep it (or set ADMIN_PASSWORD before the first start to choose your own).';
    this.logger.warn(text);
    if (['error', 'fatal', 'silent'].includes(this.config.LOG_LEVEL)) process.stderr.write(`${text}\n`);
  }
}
