import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppConfig } from '../config/app-config';

/** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently truncated. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_LENGTH = 8;

/** bcrypt cost: 10 in production and development; 4 under NODE_ENV=test, where hundreds of users are made. */
export function bcryptCost(config: Pick<AppConfig, 'NODE_ENV'>): number {
  return config.NODE_ENV === 'test' ? 4 : 10;
}

/** Why a password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `The password must be at most ${PASSWORD_MAX_BYTES} bytes`;
  }
  return null;
}

@Injectable()
export class PasswordHasher {
  /** Compared against when the email is unknown, so both failures take the same time. */
  private readonly dummyHash: string;

  constructor(private readonly config: AppConfig) {
    this.dummyHash = bcrypt.hashSync('courseloom-no-such-user', bcryptCost(config));
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, bcryptCost(this.config));
  }

  verify(password: string, hash: string | null): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.dummyHash);
  }
}
