import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/** The response header naming the upstream (its index in `upstreams`) that served a request. */
export const SERVED_BY_HEADER = 'x-served-by';

/** Headers of one connection, never forwarded (RFC 9110 §7.6.1); Node frames each side's body itself. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade'];

export interface ServedRequest {
  method: string;
  path: string;
  /** Index in `upstreams`. */
  upstream: number;
  /** The upstream's status code; 502 when it could not be reached. */
  status: number;
}

/**
 * A load balancer in front of several API processes, as a test needs one: every request goes to the next upstream
 * in turn, whatever its connection or cookie (no sticky sessions), so a journey switches replicas on every request.
 * Requests and responses are streamed; headers pass unchanged (Host and Set-Cookie included) except the hop-by-hop
 * ones, and the client's address is appended to X-Forwarded-For as nginx's `$proxy_add_x_forwarded_for` does (the API
 * trusts it from loopback peers: TRUST_PROXY). Each response names its upstream in `X-Served-By`, and `served` keeps
 * every request in arrival order.
 */
export class RoundRobinProxy {
  readonly served: ServedRequest[] = [];
  private server?: Server;
  private next = 0;
  private readonly targets: URL[];

  /** `upstreams`: base URLs, e.g. `http://127.0.0.1:3001`. */
  constructor(upstreams: readonly string[]) {
    if (upstreams.length === 0) throw new Error('RoundRobinProxy needs at least one upstream');
    this.targets = upstreams.map((u) => new URL(u));
  }

  /** Listens on a free loopback port; returns the proxy's base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this.baseUrl;
  }

  get baseUrl(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('the proxy is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = this.next;
    this.next = (this.next + 1) % this.targets.length;
    const target = this.targets[upstream];
    const record: ServedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', upstream, status: 0 };
    this.served.push(record);

    const headers = withoutHopByHop(req.headers);
    const client = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
    headers['x-forwarded-proto'] ??= 'http';

    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, {
          ...withoutHopByHop(answer.headers),
          [SERVED_BY_HEADER]: String(upstream),
        });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    out.on('error', (err: Error) => {
      record.status = 502;
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain', [SERVED_BY_HEADER]: String(upstream) });
      res.end(`upstream ${upstream} failed: ${err.message}`);
    });
    // The client gave up: so does the request upstream (a cancelled model call is aborted there too).
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers };
  // Headers a `Connection` header names are hop-by-hop too.
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...named]) delete copy[name];
  return copy;
}
