import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { UserRole } from '../../../../contracts/api';
import { DomainError } from '../../common/domain-error';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';
import { bearerApiKey } from '../api-keys/api-key-secret';
import { AuthenticatedRequest } from './auth-user';
import { DEFAULT_ROLES, IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { extractSessionToken } from './session-cookie';
import { SessionTokenService } from './session-token.service';

/**
 * The global guard (APP_GUARD): every route needs a valid session (cookie or bearer token) or API key
 * (`Bearer clk_…`, docs/accounts-and-curriculum.md#api-keys) unless marked `@Public()`; `@Roles(...)` narrows who
 * may call it. No or bad credentials → 401 (429 after too many bad API keys), wrong role → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: SessionTokenService,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const token = extractSessionToken(req);
    if (!token) throw new DomainError('unauthorized', 'Authentication required');
    const apiKey = bearerApiKey(req.headers);
    const user =
      apiKey !== null
        ? await this.apiKeys.authenticate(apiKey, req.ip ?? 'unknown')
        : await this.tokens.verify(token);
    // The messages never echo the credential.
    if (!user && apiKey !== null) throw new DomainError('unauthorized', 'Invalid or revoked API key');
    if (!user) throw new DomainError('unauthorized', 'Your session has expired or is invalid; sign in again');

    const roles =
      this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets) ?? DEFAULT_ROLES;
    if (!roles.includes(user.role)) {
      throw new DomainError('forbidden', `This action needs the ${roles.join(' or ')} role`);
    }
    req.user = user;
    return true;
  }
}
