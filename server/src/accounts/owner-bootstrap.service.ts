import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { bcryptCost } from './password-hasher';
import { createUserAccount, DEFAULT_ORGANIZATION_NAME } from './user-accounts';

/** The development sign-in made on first start when ADMIN_EMAIL / ADMIN_PASSWORD are unset (documented). */
export const DEV_ADMIN_EMAIL = 'admin@courseloom.local';
export const DEV_ADMIN_PASSWORD = 'courseloom-admin';

/** Arbitrary constant: the API processes starting together take this lock so only one creates the owner. */
const BOOTSTRAP_LOCK_KEY = 74_310_002;

/**
 * First start (API process only): when no user exists, creates the organization "Courseloom" and its owner from
 * ADMIN_EMAIL / ADMIN_PASSWORD; in development without them, the documented default. Under NODE_ENV=test the
 * default is skipped (tests make their own users) unless ADMIN_EMAIL is set.
 */
@Injectable()
export class OwnerBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(OwnerBootstrap.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureOwner();
  }

  /** Returns the email of the owner it created, or null when users already existed (or none could be made). */
  async ensureOwner(): Promise<string | null> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD, NODE_ENV } = this.config;
    let credentials: { email: string; password: string; isDefault: boolean } | null = null;
    if (ADMIN_EMAIL && ADMIN_PASSWORD)
      credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, isDefault: false };
    else if (NODE_ENV === 'development' && !ADMIN_EMAIL && !ADMIN_PASSWORD) {
      credentials = { email: DEV_ADMIN_EMAIL, password: DEV_ADMIN_PASSWORD, isDefault: true };
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
        { email: credentials.email, password: credentials.password, role: 'owner', organizationId },
        bcryptCost(this.config),
      );
      return user.email;
    });

    if (created === undefined) {
      if (NODE_ENV === 'production' || ADMIN_EMAIL || ADMIN_PASSWORD) {
        this.logger.error(
          'No user exists and ADMIN_EMAIL / ADMIN_PASSWORD are not both set, so nobody can sign in. Set both and ' +
            'restart, or run: npm run user:create -- --email you@example.com --password <password> --role owner',
        );
      }
      return null;
    }
    if (created && credentials?.isDefault) {
      this.logger.warn(
        `First start: created the owner ${created} with the documented default development password ` +
          `(see docs/accounts-and-curriculum.md). Set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own.`,
      );
    } else if (created) {
      this.logger.log(
        `First start: created the owner ${created} (from ADMIN_EMAIL) in organization ${DEFAULT_ORGANIZATION_NAME}`,
      );
    }
    return created;
  }
}
