import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { metricsAuthorized, metricsText } from '../metrics/metrics';
import { Readiness } from './readiness';

/**
 * A worker process's small HTTP server on METRICS_PORT (the worker has no other HTTP): GET /metrics (with
 * METRICS_TOKEN when set), /health/live and /health/ready, the same answers as the API's
 * (docs/queue.md, "Metrics and health"). Not started without METRICS_PORT.
 */
@Injectable()
export class OpsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OpsServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (!port) return;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.logger.warn(`Metrics server: ${err.message}`);
        if (!res.headersSent) send(res, 500, { statusCode: 500, message: 'Internal Server Error' });
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, this.config.HOST, () => resolve());
    });
    this.server = server;
    this.logger.log(
      `Metrics and health on http://${this.config.HOST}:${port} (/metrics, /health/live, /health/ready)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { statusCode: 405, message: 'Only GET' });
    if (path === '/metrics') {
      if (!metricsAuthorized(req.headers.authorization, this.config.METRICS_TOKEN)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return send(res, 401, {
          statusCode: 401,
          message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
        });
      }
      const { contentType, body } = await metricsText();
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    if (path === '/health/live') return this.probe(res, () => this.readiness.live());
    if (path === '/health/ready') return this.probe(res, () => this.readiness.ready());
    send(res, 404, { statusCode: 404, message: 'Not Found' });
  }

  /** terminus resolves with the result (200) or throws a 503 carrying it. */
  private async probe(res: ServerResponse, check: () => Promise<unknown>): Promise<void> {
    try {
      send(res, 200, await check());
    } catch (err) {
      const e = err as { getStatus?: () => number; getResponse?: () => unknown };
      if (typeof e.getStatus !== 'function' || typeof e.getResponse !== 'function') throw err;
      send(res, e.getStatus(), e.getResponse());
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
