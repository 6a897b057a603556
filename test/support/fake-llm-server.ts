import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible chat-completions server over real HTTP, for tests of the `openai-compatible` adapter
 * and of everything above it (jobs, fault suites, benchmarks).
 *
 * By default it answers `POST /v1/chat/completions` with schema-valid canned content for the stage — taken from
 * the `x-courseloom-stage` header (or the JSON schema's name) — honouring the requested counts
 * (`x-courseloom-count`, and `x-courseloom-project-count` for outlines). `script(rule)` changes that: rules are
 * tried in order, the first whose `match` fits the request applies (`times` limits how often; unlimited if
 * absent). Every request is logged with its headers (the `x-courseloom-*` tags included), body, time, answered
 * status and whether the client hung up before an answer.
 */

export interface FakeLlmMatch {
  stage?: string;
  /** `x-courseloom-step`, e.g. 'lessons:<projectId>'; a RegExp matches any step it tests true for. */
  step?: string | RegExp;
  job?: string;
  course?: string;
  /** Only the nth (1-based) request that matches the other fields. */
  nth?: number;
}

export interface FakeLlmRule {
  match?: FakeLlmMatch;
  /** How many requests the rule applies to; unlimited when absent. */
  times?: number;
  /** Answer with this HTTP error status (429, 500, 401 …) and an OpenAI-style error body. */
  status?: number;
  /** With `status` (429, 503): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** The error body's message. */
  errorMessage?: string;
  /** Never answer (the client's timeout or abort ends the call). */
  hang?: boolean;
  /** Answer 200 with assistant content that is not valid JSON. */
  malformedJson?: boolean;
  /** Answer 200 with a body that is not a JSON chat completion at all. */
  malformedBody?: boolean;
  /** Answer 200 with valid JSON that breaks the stage's schema (wrong types, missing fields). */
  schemaViolation?: boolean;
  /** Answer 400 "json_schema unsupported" to requests with response_format json_schema (others pass on). */
  noJsonSchemaSupport?: boolean;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Report these token counts; `cached_tokens` (part of prompt_tokens) as OpenAI's `prompt_tokens_details`. */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  /** Answer with this many items instead of the requested count. */
  count?: number;
  /** The assistant message's content: an object is sent as JSON, a string as is. */
  content?: unknown;
  /** The model name reported (default: the requested one). */
  model?: string;
  /**
   * Put U+0000 inside every string of the canned content: `escaped` as `\u0000` in the JSON text (valid JSON),
   * `raw` as the character itself (a JSON parse error unless the client removes it first).
   */
  nul?: 'escaped' | 'raw';
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Lower-case names; `x-courseloom-*` tags included. */
  headers: Record<string, string>;
  body: unknown;
  /** Date.now() on arrival. */
  at: number;
  /** The status answered; undefined while pending or if never answered. */
  status?: number;
  /** True when the client closed the connection before an answer was sent (abort, timeout). */
  closedEarly: boolean;
  /** Index (in script order) of the rule that applied, if any. */
  rule?: number;
}

export interface FakeLlmServer {
  /** Base URL including `/v1`, for LLM_BASE_URL. */
  url: string;
  requests: LoggedRequest[];
  /** Adds rules (after any already scripted). */
  script(...rules: FakeLlmRule[]): void;
  /** Forgets rules and logged requests. */
  reset(): void;
  /** The logged requests that fit `match` (`nth` ignored). */
  requestsMatching(match: FakeLlmMatch): LoggedRequest[];
  close(): Promise<void>;
}

const SCHEMA_NAME_STAGE: Record<string, string> = {
  outline_proposals: 'outline',
  lessons_for_project: 'lessons',
  tasks_for_lesson: 'tasks',
};

const KINDS = ['exercise', 'quiz', 'reflection', 'project'] as const;

interface ChatBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  response_format?: { type?: string; json_schema?: { name?: string } };
}

function fits(req: LoggedRequest, match: FakeLlmMatch | undefined): boolean {
  if (!match) return true;
  const h = req.headers;
  if (match.stage !== undefined && stageOf(req) !== match.stage) return false;
  if (match.job !== undefined && h['x-courseloom-job'] !== match.job) return false;
  if (match.course !== undefined && h['x-courseloom-course'] !== match.course) return false;
  if (match.step !== undefined) {
    const step = h['x-courseloom-step'] ?? '';
    if (typeof match.step === 'string' ? step !== match.step : !match.step.test(step)) return false;
  }
  return true;
}

function stageOf(req: LoggedRequest): string | undefined {
  const header = req.headers['x-courseloom-stage'];
  if (header) return header;
  const body = req.body as ChatBody;
  const name = body?.response_format?.json_schema?.name;
  if (name && SCHEMA_NAME_STAGE[name]) return SCHEMA_NAME_STAGE[name];
  const system = JSON.stringify(body?.messages ?? []);
  return Object.entries(SCHEMA_NAME_STAGE).find(([schema]) => system.includes(schema))?.[1];
}

function intHeader(req: LoggedRequest, name: string, fallback: number): number {
  const n = Number(req.headers[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Schema-valid content for a stage (bounds of server/src/generation/schemas respected). */
export function cannedContent(
  stage: string | undefined,
  count: number,
  projectCount = 5,
  label = '',
): unknown {
  const tag = label ? ` (${label})` : '';
  const list = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
  switch (stage) {
    case 'outline':
      return {
        outlines: list(count, (o) => ({
          title: `Fake course proposal ${o + 1}`,
          description: `A canned outline from the fake LLM server, proposal ${o + 1}.`,
          projects: list(projectCount, (p) => ({
            title: `Fake project ${p + 1} of proposal ${o + 1}`,
            description: `Canned description of fake project ${p + 1}.`,
            objectives: [`Practise canned objective ${p + 1}.a`, `Practise canned objective ${p + 1}.b`],
          })),
        })),
      };
    case 'tasks':
      return {
        tasks: list(count, (i) => ({
          title: `Fake task ${i + 1}${tag}`,
          instructions: `1. Read the canned lesson.\n2. Do canned step ${i + 1}.\n\n**Done when:** the fake says so.`,
          kind: KINDS[i % KINDS.length],
          estimated_minutes: 15,
        })),
      };
    case 'lessons':
    default:
      return {
        lessons: list(count, (i) => ({
          title: `Fake lesson ${i + 1}${tag}`,
          summary: `Canned summary of fake lesson ${i + 1}.`,
          content: `## Fake lesson ${i + 1}\n\nCanned content from the fake LLM server.\n\n- one point\n- another point\n\n### Example\n\nA canned worked example.`,
          estimated_minutes: 20,
        })),
      };
  }
}

function schemaViolation(stage: string | undefined, count: number): unknown {
  switch (stage) {
    case 'outline':
      return { outlines: [{ title: 42, projects: 'none' }] };
    case 'tasks':
      return {
        tasks: Array.from({ length: count }, () => ({ title: '', kind: 'dance', estimated_minutes: 'soon' })),
      };
    default:
      return { lessons: Array.from({ length: count }, () => ({ title: 7, estimated_minutes: -1 })) };
  }
}

/** `value` with U+0000 after the first character of every string. */
function withNul(value: unknown): unknown {
  if (typeof value === 'string') return `${value.slice(0, 1)}\u0000${value.slice(1)}`;
  if (Array.isArray(value)) return value.map(withNul);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNul(v)]));
  return value;
}

/** The environment that points the product's openai-compatible provider at this fake server. */
export const fakeModelEnv = (fake: Pick<FakeLlmServer, 'url'>): Record<string, string> => ({
  LLM_PROVIDER: 'openai-compatible',
  LLM_BASE_URL: fake.url,
  LLM_MODEL: 'fake-model',
});

export async function startFakeLlmServer(options: { latencyMs?: number } = {}): Promise<FakeLlmServer> {
  let rules: { rule: FakeLlmRule; left: number; index: number }[] = [];
  let requests: LoggedRequest[] = [];
  let completions = 0;

  const send = (
    res: ServerResponse,
    entry: LoggedRequest,
    status: number,
    body: string,
    headers = {},
  ): void => {
    if (res.destroyed || entry.closedEarly) return;
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // logged as text
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0],
      headers,
      body,
      at: Date.now(),
      closedEarly: false,
    };
    res.on('close', () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });

    if (entry.method !== 'POST' || entry.path !== '/v1/chat/completions') {
      requests.push(entry);
      send(res, entry, 404, JSON.stringify({ error: { message: `no route ${entry.method} ${entry.path}` } }));
      return;
    }
    const chat = (typeof body === 'object' && body !== null ? body : {}) as ChatBody;
    const wantsJsonSchema = chat.response_format?.type === 'json_schema';
    const applied = rules.find(({ rule, left }) => {
      if (left <= 0) return false;
      if (rule.noJsonSchemaSupport && !wantsJsonSchema) return false;
      if (!fits(entry, rule.match)) return false;
      if (rule.match?.nth !== undefined) {
        const before = requests.filter((r) => r.path === entry.path && fits(r, rule.match)).length;
        if (before + 1 !== rule.match.nth) return false;
      }
      return true;
    });
    requests.push(entry);
    const rule = applied?.rule ?? {};
    if (applied) {
      applied.left -= 1;
      entry.rule = applied.index;
    }

    const latency = rule.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) {
      // Ends early when the client gives up, so an aborted slow call leaves no timer behind.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, latency);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (rule.hang || res.destroyed) return; // never answers (the client gives up), or it already has

    if (rule.noJsonSchemaSupport) {
      send(
        res,
        entry,
        400,
        JSON.stringify({
          error: {
            message: "response_format type 'json_schema' is not supported by this server; use 'json_object'",
            type: 'invalid_request_error',
            param: 'response_format',
            code: null,
          },
        }),
      );
      return;
    }
    if (rule.status !== undefined && rule.status >= 400) {
      const extra: Record<string, string> = {};
      if (rule.retryAfterSeconds !== undefined) extra['retry-after'] = String(rule.retryAfterSeconds);
      const message =
        rule.errorMessage ??
        (rule.status === 429 ? 'Rate limit reached, slow down' : `Fake error ${rule.status}`);
      send(
        res,
        entry,
        rule.status,
        JSON.stringify({ error: { message, type: 'fake_error', code: rule.status } }),
        extra,
      );
      return;
    }
    if (rule.malformedBody) {
      send(res, entry, 200, '<html>this is not a chat completion</html>', {
        'content-type': 'application/json',
      });
      return;
    }

    const stage = stageOf(entry);
    const requested = intHeader(entry, 'x-courseloom-count', stage === 'outline' ? 3 : 3);
    const count = rule.count ?? requested;
    const projectCount = intHeader(entry, 'x-courseloom-project-count', 5);
    let content: string;
    if (rule.malformedJson) {
      content = '{"lessons": [{"title": "Half an answer", "summary": ';
    } else if (rule.schemaViolation) {
      content = JSON.stringify(schemaViolation(stage, count));
    } else if (rule.content !== undefined) {
      content = typeof rule.content === 'string' ? rule.content : JSON.stringify(rule.content);
    } else {
      const canned = cannedContent(stage, count, projectCount, entry.headers['x-courseloom-step'] ?? '');
      content = JSON.stringify(rule.nul ? withNul(canned) : canned);
      if (rule.nul === 'raw') content = content.replaceAll('\\u0000', '\u0000');
    }
    const { cached_tokens, ...usage } = rule.usage ?? {
      prompt_tokens: Math.ceil(JSON.stringify(chat.messages ?? []).length / 4),
      completion_tokens: Math.ceil(content.length / 4),
    };
    completions += 1;
    send(
      res,
      entry,
      200,
      JSON.stringify({
        id: `chatcmpl-fake-${completions}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: rule.model ?? chat.model ?? 'fake-model',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: {
          ...usage,
          total_tokens: usage.prompt_tokens + usage.completion_tokens,
          ...(cached_tokens === undefined ? {} : { prompt_tokens_details: { cached_tokens } }),
        },
      }),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake server failure: ${String(err)}` } }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    script(...added) {
      for (const rule of added) rules.push({ rule, left: rule.times ?? Infinity, index: rules.length });
    },
    reset() {
      rules = [];
      requests = [];
    },
    requestsMatching(match) {
      return requests.filter((r) => fits(r, { ...match, nth: undefined }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
