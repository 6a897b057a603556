import type { CookieOptions, Request } from 'express';

/** Name of the httpOnly cookie that holds the session token (the same JWT the login returns). */
export const SESSION_COOKIE_NAME = 'courseloom_session';

/**
 * `secure` is AppConfig.isProduction: production rules, which an unset NODE_ENV on a non-loopback HOST also gets
 * (docs/accounts-and-curriculum.md#safe-defaults). The attribute does not depend on req.secure, so it is set behind a
 * TLS-terminating proxy whatever TRUST_PROXY says. Cross-site writes are refused by http/same-origin.ts.
 */
export function sessionCookieOptions(secure: boolean, maxAgeSeconds: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeSeconds * 1000 };
}

/**
 * The session token of a request: `Authorization: Bearer <token>` first, else the session cookie.
 * Works on any Express request, so middleware outside Nest's guards (Bull Board) can use it.
 */
export function extractSessionToken(
  req: Pick<Request, 'headers'> & { cookies?: Record<string, unknown> },
): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const cookie = req.cookies?.[SESSION_COOKIE_NAME];
  return typeof cookie === 'string' && cookie.length > 0 ? cookie : null;
}
