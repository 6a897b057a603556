/**
 * Values published in this repository for local development. Anyone can read them, so they are refused whenever
 * the process runs under production rules or listens beyond loopback (docs/accounts-and-curriculum.md).
 */

/** The sign-in email of the development owner (the password is random since the first start prints it). */
export const DEV_ADMIN_EMAIL = 'admin@courseloom.local';

/** The owner password older releases created in development; never accepted on an exposed server. */
export const DEV_ADMIN_PASSWORD = 'courseloom-admin';

/** Signs session tokens when AUTH_SECRET is unset on loopback; the same value as session-token.service.ts. */
export const DEVELOPMENT_AUTH_SECRET = 'courseloom-development-secret-do-not-use-in-production';

/** Start-up refused because a published credential would let anyone in; the message says how to fix it. */
export class UnsafeDefaultsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsafeDefaultsError';
  }
}
