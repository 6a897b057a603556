import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RateLimitedError } from '../../common/domain-error';
import { AuthUser } from '../auth/auth-user';
import { LoginRateLimiter } from '../login-rate-limiter';
import { apiKeyMatches, apiKeyPrefix } from './api-key-secret';
import { ApiKeyCredential, findLiveApiKey, touchApiKey } from './api-key-store';

/**
 * Turns `Authorization: Bearer clk_…` into the AuthUser the key acts as (docs/accounts-and-curriculum.md#api-keys).
 * Every request reads the key's row, so a revoked key stops at once. A refused key counts against its client
 * address with the login limit (429 once over); a valid key never touches that counter, so one broken client
 * cannot lock out the others behind the same address. The key itself is never logged, only its visible prefix.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);

  constructor(
    private readonly db: DataSource,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /** The key's user; null for a wrong, malformed or revoked key; throws RateLimitedError when over the limit. */
  async authenticate(key: string, ip: string): Promise<AuthUser | null> {
    const prefix = apiKeyPrefix(key);
    let found: ApiKeyCredential | null;
    try {
      found = prefix ? await findLiveApiKey(this.db, prefix) : null;
    } catch (err) {
      // Fail closed, and do not count it: the client did nothing wrong.
      this.logger.warn(`Could not check an API key: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    if (!found || !apiKeyMatches(key, found.key_hash)) {
      this.logger.warn({ msg: 'Refused an API key', ip, prefix: prefix ?? '(malformed)' });
      await this.countFailure(ip);
      return null;
    }
    if (found.last_used_stale) await this.touch(found.id);
    return {
      id: found.created_by,
      email: `API key "${found.name}"`,
      role: found.role,
      organization_id: found.organization_id,
      is_operator: false, // operators are people (Bull Board)
      api_key: { id: found.id, name: found.name },
    };
  }

  private async countFailure(ip: string): Promise<void> {
    try {
      await this.limiter.hitApiKeyFailure(ip);
    } catch (err) {
      if (err instanceof RateLimitedError) throw err;
      this.logger.warn(
        `Could not count a refused API key: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** At most once a minute per key (the row said it is stale); a failed write never refuses the request. */
  private async touch(id: string): Promise<void> {
    try {
      await touchApiKey(this.db, id);
    } catch (err) {
      this.logger.warn(
        `Could not record an API key's use: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
