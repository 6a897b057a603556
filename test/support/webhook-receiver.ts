import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got: its headers, raw body, and whether its answer reached the sender's socket. */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status it answered; null while held, or when the connection closed before an answer. */
  answered: number | null;
  closedBeforeAnswer: boolean;
}

/** What to do with the next request: answer `status`, or hold it open until `release()` or the sender gives up. */
export type ReceiverAction = { status: number; headers?: Record<string, string> } | { hold: true };

/**
 * A local HTTP server standing for a customer's webhook endpoint: it records every request and answers from a
 * script (default 200), so tests can make it fail, time out or hold a request open.
 */
export interface WebhookReceiver {
  url(path?: string): string;
  requests: ReceivedWebhook[];
  /** Actions for the next requests to `path`, in order; then 200. */
  script(path: string, ...actions: ReceiverAction[]): void;
  /** Answers every held request with `status`. */
  release(status?: number): void;
  held(): number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const actions = new Map<string, ReceiverAction[]>();
  const holding: { res: ServerResponse; record: ReceivedWebhook }[] = [];

  const answer = (res: ServerResponse, record: ReceivedWebhook, status: number, headers = {}): void => {
    if (record.closedBeforeAnswer) return;
    record.answered = status;
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok');
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: ReceivedWebhook = {
        path: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
        answered: null,
        closedBeforeAnswer: false,
      };
      requests.push(record);
      res.on('close', () => {
        if (record.answered === null) record.closedBeforeAnswer = true;
      });
      const action = actions.get(record.path)?.shift() ?? { status: 200 };
      if ('hold' in action) holding.push({ res, record });
      else answer(res, record, action.status, action.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    requests,
    script: (path, ...next) => {
      actions.set(path, next);
    },
    release: (status = 200) => {
      for (const h of holding.splice(0)) answer(h.res, h.record, status);
    },
    held: () => holding.filter((h) => !h.record.closedBeforeAnswer).length,
    close: async () => {
      for (const h of holding.splice(0)) h.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
