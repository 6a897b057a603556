import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import { ADMIN_UI_PATH, BULL_BOARD_PATH } from './paths';

/**
 * Serves the built Angular app under /admin; any other GET below /admin (a deep link such as
 * /admin/course-generation-queue) gets index.html so the client router takes over.
 */
export function adminUiMiddleware(dir: string): express.Router {
  const root = resolve(dir);
  const index = resolve(root, 'index.html');
  const router = express.Router();
  router.use(ADMIN_UI_PATH, express.static(root, { index: false, maxAge: '1h', fallthrough: true }));
  router.get(`${ADMIN_UI_PATH}{/*path}`, (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(BULL_BOARD_PATH)) return next();
    // A missing asset (has an extension) is a 404, not the app.
    if (/\.[a-z0-9]+$/i.test(req.path)) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The admin UI is not built yet: run "npm run build:ui".');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
