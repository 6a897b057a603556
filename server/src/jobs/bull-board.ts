import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { extractSessionToken, SessionTokenService } from '../accounts/auth';
import { BULL_BOARD_PATH } from '../http/paths';
import { QUEUES } from './jobs.constants';

/**
 * Bull Board at /admin/queues, showing every queue, for signed-in admins only (the session cookie, or a bearer
 * token). A signed-out browser is sent to the sign-in page and back; other requests get 401.
 */
export function mountBullBoard(app: INestApplication): void {
  const tokens = app.get(SessionTokenService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Courseloom queues' } },
  });
  const requireAdmin = (req: Request, res: Response, next: NextFunction): void => {
    tokens
      .verify(extractSessionToken(req))
      .then((user) => {
        if (user) return next();
        if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
          res.redirect(302, `/admin/login?returnUrl=${encodeURIComponent(req.originalUrl)}`);
          return;
        }
        res
          .status(401)
          .json({ statusCode: 401, message: 'Sign in to use the queue inspector', error: 'Unauthorized' });
      })
      .catch(next);
  };
  app.use(BULL_BOARD_PATH, requireAdmin, serverAdapter.getRouter());
}
