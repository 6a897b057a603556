import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { extractSessionToken, SESSION_COOKIE_NAME } from '../accounts/auth/session-cookie';

/** Methods that change state; GET/HEAD/OPTIONS never do here. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN_PATH = '/api/auth/login';
/** The one route that takes multipart/form-data (an outline file; server/src/curriculum/upload.controller.ts). */
const MULTIPART_PATH = '/api/admin/curriculum/upload';

/** `scheme://host[:port]` normalized by the URL parser (default ports dropped, lower case); null when malformed. */
function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

function refuse(req: Request, res: Response, status: number, message: string, error: string): void {
  res.status(status).json({ statusCode: status, message, error, request_id: (req as { id?: unknown }).id });
}

/**
 * CSRF defence (docs/accounts-and-curriculum.md#cross-site-requests), before every route including Bull Board:
 * - a state-changing request authenticated by the session cookie must come from this origin: an `Origin` equal to
 *   the request's own `protocol://host` (both honour TRUST_PROXY) or one of CORS_ORIGINS, or, without `Origin`,
 *   `Sec-Fetch-Site: same-origin`; otherwise 403. Bearer-token and anonymous requests are not concerned: a
 *   cross-site page cannot set `Authorization`.
 * - login from a browser must be same-origin too (login CSRF); clients that send neither header (curl) may log in.
 * - bodies are JSON only (multipart on the upload route): HTML forms cannot post JSON, so a plain cross-site form
 *   can never reach a handler, whatever cookie rules a browser applies.
 */
export function sameOriginGuard(corsOrigins: readonly string[]): RequestHandler {
  const trusted = new Set(corsOrigins.map(normalizeOrigin).filter((o): o is string => o !== null));
  const isSameOrigin = (req: Request): boolean => {
    const origin = header(req, 'origin');
    if (origin !== undefined) {
      const normalized = normalizeOrigin(origin);
      if (normalized === null) return false; // `null` (sandboxed frames, some redirects) or garbage
      return normalized === normalizeOrigin(`${req.protocol}://${req.host}`) || trusted.has(normalized);
    }
    return header(req, 'sec-fetch-site') === 'same-origin';
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!STATE_CHANGING.has(req.method)) return next();
    // Express routes ignore case and a trailing slash, so these comparisons do too.
    const path = req.path.toLowerCase().replace(/\/+$/, '');
    const needsSameOrigin =
      path === LOGIN_PATH
        ? header(req, 'origin') !== undefined || header(req, 'sec-fetch-site') !== undefined // a browser
        : signedInByCookie(req);
    if (needsSameOrigin && !isSameOrigin(req)) {
      return refuse(
        req,
        res,
        403,
        'Cross-site request refused: a request signed in by the session cookie must come from this site ' +
          '(same-origin Origin or Sec-Fetch-Site header), or use Authorization: Bearer',
        'Forbidden',
      );
    }
    if (hasBody(req)) {
      const type = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
      const json = type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
      const multipart = type === 'multipart/form-data' && path === MULTIPART_PATH;
      if (!json && !multipart) {
        return refuse(
          req,
          res,
          415,
          `Unsupported Content-Type "${type || '(none)'}": send application/json` +
            (path === MULTIPART_PATH ? ' or multipart/form-data' : ''),
          'Unsupported Media Type',
        );
      }
    }
    next();
  };
}

/** The session cookie is what authenticates this request (no Bearer token, which takes precedence). */
function signedInByCookie(req: Request): boolean {
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE_NAME];
  return (
    typeof cookie === 'string' && cookie !== '' && extractSessionToken({ headers: req.headers }) === null
  );
}

/** A request with a body: a non-zero Content-Length or a chunked transfer. */
function hasBody(req: Request): boolean {
  const length = header(req, 'content-length');
  if (length !== undefined) return length.trim() !== '0';
  return header(req, 'transfer-encoding') !== undefined;
}
