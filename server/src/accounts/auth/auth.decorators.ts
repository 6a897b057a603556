import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from '../../../../contracts/api';
import { AuthenticatedRequest, AuthUser } from './auth-user';

export const IS_PUBLIC_KEY = 'courseloom:public';
export const ROLES_KEY = 'courseloom:roles';

/** Every role may use a route unless it says otherwise with `@Roles(...)`. */
export const DEFAULT_ROLES: readonly UserRole[] = ['admin', 'owner'];

/** Lets anonymous requests through the global AuthGuard (login, health). Everything else needs a session. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Restricts a route (or a controller) to these roles; others get 403. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** The authenticated user of the request (set by the global AuthGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  // Only reachable on a @Public() route, where there is no user to inject: a programming error.
  if (!user) throw new Error('@CurrentUser() used on a route without authentication');
  return user;
});
