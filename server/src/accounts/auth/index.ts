/** What other modules use to authenticate and scope requests. */
export type { AuthUser, AuthenticatedRequest } from './auth-user';
export { CurrentUser, DEFAULT_ROLES, Public, Roles } from './auth.decorators';
export { extractSessionToken, SESSION_COOKIE_NAME, sessionCookieOptions } from './session-cookie';
export { SessionTokenService } from './session-token.service';
export type { IssuedToken } from './session-token.service';
