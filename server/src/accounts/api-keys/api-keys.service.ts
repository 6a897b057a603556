import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from '../../../../contracts/api';
import { NotFoundError } from '../../common/domain-error';
import { AuthUser } from '../auth/auth-user';
import { generateApiKey } from './api-key-secret';
import { insertApiKey, listApiKeys, revokeApiKey } from './api-key-store';

/** An organization's API keys, as owners manage them (docs/accounts-and-curriculum.md#api-keys). */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(private readonly db: DataSource) {}

  /** A new key, returned with its secret this once; only its hash is kept. */
  async create(user: AuthUser, input: CreateApiKeyRequest): Promise<CreatedApiKey> {
    // A 48-bit prefix practically never collides; a collision just draws again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { key, prefix, hash } = generateApiKey();
      const view = await insertApiKey(this.db, {
        organizationId: user.organization_id,
        createdBy: user.id,
        name: input.name,
        role: input.role,
        prefix,
        hash,
      });
      if (view) {
        this.logger.log({
          msg: 'Created an API key',
          api_key_id: view.id,
          prefix,
          role: view.role,
          organization_id: user.organization_id,
          by: user.api_key ? user.email : user.id,
        });
        return { ...view, key };
      }
    }
    throw new Error('Could not draw an unused API key prefix in 3 attempts');
  }

  list(organizationId: string): Promise<ApiKeyView[]> {
    return listApiKeys(this.db, organizationId);
  }

  /** Revokes at once: the next request with the key is refused. 404 for an unknown, revoked or foreign key. */
  async revoke(user: AuthUser, id: string): Promise<void> {
    if (!(await revokeApiKey(this.db, user.organization_id, id))) throw new NotFoundError('API key');
    this.logger.log({
      msg: 'Revoked an API key',
      api_key_id: id,
      organization_id: user.organization_id,
      by: user.api_key ? user.email : user.id,
    });
  }
}
