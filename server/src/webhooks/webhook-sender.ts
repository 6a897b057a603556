import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget } from './outbound-address';

export interface SendResult {
  /** null: no HTTP answer (refused address, connection error, timeout). */
  status: number | null;
  durationMs: number;
  /** Why the attempt failed; undefined on a 2xx. */
  error?: string;
}

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

const httpError = (status: number): string | undefined => {
  if (status >= 200 && status < 300) return undefined;
  return status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}`;
};

/** Answers Node's resolver with the one address that was checked (both call shapes: `all` or not). */
const pinnedLookup =
  (address: string, family: 4 | 6): LookupFunction =>
  (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    else callback(null, address, family);
  };

/**
 * One delivery attempt: POST the body to the URL, connected to the address resolved and checked once (never a second
 * DNS answer), with a deadline over the whole exchange and no redirects followed — a 3xx is a failure like any
 * non-2xx. The response body is read and dropped. docs/webhooks.md, "Outbound requests".
 */
export async function sendWebhook(options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const url = new URL(options.url);
  let target;
  try {
    target = await resolveTarget(url, options.allowPrivate);
  } catch (err) {
    return { status: null, durationMs: elapsed(), error: (err as Error).message };
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        lookup: pinnedLookup(target.address, target.family),
        signal: AbortSignal.timeout(options.timeoutMs),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('error', () => undefined);
        // The first of the two settles it: 'close' without 'end' is a body cut off (the deadline, the peer).
        res.on('end', () => resolve({ status, durationMs: elapsed(), error: httpError(status) }));
        res.on('close', () =>
          resolve({ status: null, durationMs: elapsed(), error: `answer cut off after HTTP ${status}` }),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
      resolve({
        status: null,
        durationMs: elapsed(),
        error: timedOut ? `timed out after ${options.timeoutMs} ms` : (err.code ?? err.message),
      });
    });
    req.end(options.body);
  });
}
