import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration } from './metrics';

/**
 * Times every HTTP request and labels it with the route pattern Express matched (`/api/admin/…/courses/:id`), never
 * the raw URL, so the label set stays bounded; requests no route matched (static files, 404s) share `unmatched`.
 * The pattern is read when the response finishes, after routing.
 */
export function httpMetrics(req: Request, res: Response, next: NextFunction): void {
  const started = performance.now();
  res.once('finish', () => {
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
    httpRequestDuration.observe(
      { route, method: req.method, status: String(res.statusCode) },
      (performance.now() - started) / 1000,
    );
  });
  next();
}
