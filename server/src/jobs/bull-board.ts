import { INestApplication, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { extractSessionToken, SessionTokenService } from '../accounts/auth';
import { AppConfig } from '../config/app-config';
import { BULL_BOARD_PATH } from '../http/paths';
import { QUEUES } from './jobs.constants';

/** Methods a read-only board still answers: everything else changes Redis. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Shown to a signed-in browser that is not an operator (no user input in it: nothing to escape). */
const OPERATORS_ONLY_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Operators only · Courseloom</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head>
<body>
<h1>The queue inspector is for operators</h1>
<p>Bull Board shows the queues of every organization on this installation, so only its operators may open it.</p>
<p>Your organization's jobs are on the <a href="/admin/course-generation-queue">Generation Queue</a>.</p>
</body>
</html>
`;

/** A browser asking for a page (not the board's JSON API): it gets a redirect or an HTML page, not JSON. */
const wantsPage = (req: Request): boolean =>
  req.method === 'GET' && !req.path.startsWith('/api/') && req.accepts(['html', 'json']) === 'html';

/**
 * Bull Board at /admin/queues, showing every organization's queues: for operators of the installation only (the
 * session cookie, or a bearer token). Signed out: a browser is sent to the sign-in page and back, other requests
 * get 401. Signed in but not an operator: 403. Read-only unless BULL_BOARD_READ_ONLY=false: the queues are
 * mounted in bull-board's `readOnlyMode`, and every request but GET/HEAD is refused here too (405), so a route
 * bull-board adds later cannot change Redis either. See docs/queue.md.
 */
export function mountBullBoard(app: INestApplication): void {
  const logger = new Logger('BullBoard');
  const tokens = app.get(SessionTokenService);
  const readOnly = app.get(AppConfig).BULL_BOARD_READ_ONLY;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: readOnly }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Courseloom queues' } },
  });
  const requireOperator = (req: Request, res: Response, next: NextFunction): void => {
    tokens
      .verify(extractSessionToken(req))
      .then((user) => {
        if (!user) {
          if (wantsPage(req)) {
            res.redirect(302, `/admin/login?returnUrl=${encodeURIComponent(req.originalUrl)}`);
            return;
          }
          res.status(401).json(errorBody(req, 401, 'Sign in to use the queue inspector', 'Unauthorized'));
          return;
        }
        if (!user.is_operator) {
          logger.warn({ msg: 'Refused Bull Board to a non-operator', user_id: user.id, method: req.method });
          if (wantsPage(req)) {
            res.status(403).type('html').send(OPERATORS_ONLY_PAGE);
            return;
          }
          res
            .status(403)
            .json(
              errorBody(req, 403, 'The queue inspector is for operators of the installation', 'Forbidden'),
            );
          return;
        }
        if (readOnly && !READ_METHODS.has(req.method)) {
          res
            .status(405)
            .set('Allow', 'GET, HEAD')
            .json(
              errorBody(
                req,
                405,
                'The queue inspector is read-only (BULL_BOARD_READ_ONLY=true)',
                'Method Not Allowed',
              ),
            );
          return;
        }
        next();
      })
      .catch(next);
  };
  app.use(BULL_BOARD_PATH, requireOperator, serverAdapter.getRouter());
}

/** The product's error body (as the global filter writes it), with the request id pino-http gave the request. */
function errorBody(
  req: Request,
  statusCode: number,
  message: string,
  error: string,
): Record<string, unknown> {
  return { statusCode, message, error, request_id: (req as { id?: unknown }).id };
}
