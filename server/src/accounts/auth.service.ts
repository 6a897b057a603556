import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LoginResponse } from '../../../contracts/api';
import { DomainError } from '../common/domain-error';
import { SessionTokenService } from './auth/session-token.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordHasher } from './password-hasher';
import { findUserRows, normalizeEmail } from './user-accounts';
import { toUserView } from './users.service';

const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokenService,
    private readonly rateLimiter: LoginRateLimiter,
  ) {}

  /** Checks the rate limit, then the password (the same answer and the same work for an unknown email). */
  async login(email: string, password: string, ip: string): Promise<LoginResponse> {
    const normalized = normalizeEmail(email);
    await this.rateLimiter.hit(ip, normalized);
    const rows: { id: string; password_hash: string }[] = await this.dataSource.query(
      `SELECT id, password_hash FROM users WHERE lower(email) = $1`,
      [normalized],
    );
    const ok = await this.hasher.verify(password, rows[0]?.password_hash ?? null);
    if (!rows[0] || !ok) {
      this.logger.warn({
        msg: 'Failed login',
        email: normalized,
        ip,
        reason: rows[0] ? 'bad password' : 'unknown email',
      });
      throw new DomainError('unauthorized', INVALID_CREDENTIALS);
    }
    const [user] = await findUserRows(this.dataSource.manager, 'u.id = $1', [rows[0].id]);
    const issued = await this.tokens.issue(user);
    this.logger.log({ msg: 'Signed in', user_id: user.id, ip });
    return {
      access_token: issued.token,
      expires_at: issued.expires_at.toISOString(),
      user: toUserView(user),
    };
  }

  async logout(token: string | null): Promise<void> {
    if (token) await this.tokens.revoke(token);
  }
}
