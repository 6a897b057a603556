import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Cluster } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DEVELOPMENT_AUTH_SECRET } from '../../config/published-defaults';
import type { RedisClient } from '../../redis/redis-connection';
import { redisKey } from '../../redis/redis-keys';
import { REDIS_CLIENT } from '../../redis/redis.constants';
import { AuthUser } from './auth-user';

/**
 * Signs tokens when AUTH_SECRET is unset on a loopback development server (the config refuses it anywhere else).
 * Public on purpose: anyone can forge a development token.
 */
export { DEVELOPMENT_AUTH_SECRET };

export function authSecret(config: Pick<AppConfig, 'AUTH_SECRET' | 'isProduction'>): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  if (config.isProduction) throw new Error('AUTH_SECRET is required when NODE_ENV=production');
  return DEVELOPMENT_AUTH_SECRET;
}

interface SessionClaims {
  sub: string;
  jti: string;
  exp: number;
}

export interface IssuedToken {
  token: string;
  expires_at: Date;
}

/**
 * Issues and checks session tokens: JWTs (HS256, AUTH_SECRET) that carry only the user id and a token id.
 * `verify` also reads the user from PostgreSQL, so a deleted user or a changed role takes effect at once, and
 * checks the logout deny-list in Redis. Usable outside Nest guards (Bull Board's middleware).
 */
@Injectable()
export class SessionTokenService {
  private readonly logger = new Logger(SessionTokenService.name);
  /** Until when sign-outs recorded by earlier releases are read too (see `revoked`). */
  private legacyRevocationsUntil: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {
    this.legacyRevocationsUntil =
      redis instanceof Cluster ? 0 : Date.now() + config.AUTH_TOKEN_TTL_SECONDS * 1000;
  }

  async issue(user: Pick<AuthUser, 'id'>): Promise<IssuedToken> {
    const token = await this.jwt.signAsync(
      { jti: randomUUID() },
      { subject: user.id, expiresIn: this.config.AUTH_TOKEN_TTL_SECONDS },
    );
    const { exp } = this.jwt.decode<SessionClaims>(token);
    return { token, expires_at: new Date(exp * 1000) };
  }

  /** The user of a valid, unexpired, not-revoked token whose user still exists; otherwise null. Never throws. */
  async verify(token: string | null | undefined): Promise<AuthUser | null> {
    if (!token) return null;
    let claims: SessionClaims;
    try {
      claims = await this.jwt.verifyAsync<SessionClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null; // expired, bad signature, malformed
    }
    if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string') return null;
    try {
      if (await this.revoked(claims.jti)) return null;
      const rows: AuthUser[] = await this.dataSource.query(
        `SELECT id, email, role, organization_id, is_operator FROM users WHERE id = $1`,
        [claims.sub],
      );
      return rows[0] ?? null;
    } catch (err) {
      // Fail closed: without Redis or PostgreSQL a session cannot be checked.
      this.logger.warn(`Could not check a session: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  /** Logout: the token is refused until it would have expired anyway. */
  async revoke(token: string): Promise<void> {
    let claims: SessionClaims;
    try {
      claims = await this.jwt.verifyAsync<SessionClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return; // already unusable
    }
    const ttlMs = claims.exp * 1000 - Date.now();
    if (ttlMs > 0) await this.redis.set(this.revokedKey(claims.jti), '1', 'PX', ttlMs);
  }

  private revokedKey(jti: string): string {
    return redisKey(this.config, 'auth', 'revoked', jti);
  }

  /**
   * Whether the token was signed out. A sign-out recorded by a release before keys were hash-tagged is under
   * `<REDIS_PREFIX>:auth:revoked:<jti>`; its token stays refused until it expires — at most AUTH_TOKEN_TTL_SECONDS
   * after this process started, so the old key is read (in the same EXISTS) only until then (docs/queue.md,
   * "Upgrading to hash-tagged keys"). Never on a cluster (no old keys there, and EXISTS cannot span slots), nor once
   * Redis refuses it: an ACL user confined to the new prefix cannot have old keys.
   */
  private async revoked(jti: string): Promise<boolean> {
    const key = this.revokedKey(jti);
    if (Date.now() < this.legacyRevocationsUntil) {
      try {
        return (await this.redis.exists(key, `${this.config.REDIS_PREFIX}:auth:revoked:${jti}`)) > 0;
      } catch (err) {
        if (!/^NOPERM\b/.test((err as Error).message)) throw err;
        this.legacyRevocationsUntil = 0;
      }
    }
    return (await this.redis.exists(key)) > 0;
  }
}
