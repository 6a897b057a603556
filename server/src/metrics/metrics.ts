import { timingSafeEqual } from 'node:crypto';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric of the product, in one registry per process (docs/queue.md, "Metrics and health").
 *
 * Metrics live at module level, like prom-client's own default registry: the code that records one imports it and
 * adds one line, without a provider to inject into classes built outside Nest (the model adapters). Labels take only
 * bounded values — route patterns, job types, step kinds, configured models, fixed outcome words — never ids or URLs.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'courseloom_' });

/** HTTP requests of the API by matched route pattern (`unmatched` for static files and 404s), method and status. */
export const httpRequestDuration = new Histogram({
  name: 'courseloom_http_request_duration_seconds',
  help: 'HTTP requests of the API by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Job events counted where they happen (the job store): `created`, `completed`, `failed`, `cancelled`, `paused`. */
export const JOB_EVENTS = ['created', 'completed', 'failed', 'cancelled', 'paused'] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

export const jobsTotal = new Counter({
  name: 'courseloom_jobs_total',
  help: 'Jobs created, and jobs that completed, failed, were cancelled or paused, by job type (counted by the process that made the change)',
  labelNames: ['type', 'status'] as const,
  registers: [registry],
});

/** Cluster-wide, read from PostgreSQL on scrape: every process reports the same value (aggregate with max). */
export const jobsActive = new Gauge({
  name: 'courseloom_jobs_active',
  help: 'Jobs not yet finished (pending, generating, finalizing, paused) by job type and status, cluster-wide',
  labelNames: ['type', 'status'] as const,
  registers: [registry],
});

/** Cluster-wide, from BullMQ's getJobCounts() on scrape (BullMQ's own metric name and labels). */
export const queueJobs = new Gauge({
  name: 'bullmq_job_count',
  help: 'Entries of each BullMQ queue by state, cluster-wide',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/** How a step ended in this attempt. */
export type StepOutcome = 'written' | 'skipped' | 'retried' | 'requeued' | 'failed' | 'cancelled';

export const stepDuration = new Histogram({
  name: 'courseloom_step_duration_seconds',
  help: 'Step attempts by step kind and outcome (written, skipped, retried, requeued, failed, cancelled)',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

/** `ok`, or the LlmError kind the call failed with. */
export type ModelCallOutcome =
  'ok' | 'rate_limited' | 'transient' | 'invalid_output' | 'permanent' | 'aborted';

export const modelCallDuration = new Histogram({
  name: 'courseloom_model_call_duration_seconds',
  help: 'Model calls by provider, model and outcome (ok, rate_limited, transient, invalid_output, permanent, aborted)',
  labelNames: ['provider', 'model', 'outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
  registers: [registry],
});

export const modelTokens = new Counter({
  name: 'courseloom_model_tokens_total',
  help: 'Tokens of the model calls whose results were recorded, by model and type (prompt, completion, cached)',
  labelNames: ['model', 'type'] as const,
  registers: [registry],
});

export const modelCost = new Counter({
  name: 'courseloom_model_cost_usd_total',
  help: 'USD of the model calls whose results were recorded, by model (calls without a known price add nothing)',
  labelNames: ['model'] as const,
  registers: [registry],
});

export const modelUnpricedCalls = new Counter({
  name: 'courseloom_model_unpriced_calls_total',
  help: 'Recorded model calls without a known price, by model (docs/costs.md, "Unknown prices")',
  labelNames: ['model'] as const,
  registers: [registry],
});

/**
 * Webhook deliveries by outcome. For the webhooks module (server/src/webhooks/): once per delivery attempt, with the
 * attempt's outcome — `webhookDeliveries.inc({ outcome })`, outcome one of WEBHOOK_DELIVERY_OUTCOMES (the words of
 * its AttemptOutcome: `succeeded`, `retry` (failed, attempts left), `failed` (for good), `skipped` (nothing sent: the
 * delivery had ended or its endpoint is disabled)).
 */
export const WEBHOOK_DELIVERY_OUTCOMES = ['succeeded', 'retry', 'failed', 'skipped'] as const;
export type WebhookDeliveryOutcome = (typeof WEBHOOK_DELIVERY_OUTCOMES)[number];

export const webhookDeliveries = new Counter<'outcome'>({
  name: 'webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (succeeded, retry, failed, skipped)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

// --- recording helpers: one call at each place that records -------------------------------------------------

/** A job event of `type`; `status` other than the JOB_EVENTS (e.g. a phase change) is not counted. */
export function countJobEvent(type: string, status: string): void {
  if ((JOB_EVENTS as readonly string[]).includes(status)) jobsTotal.inc({ type, status });
}

/** Tokens and cost of one recorded model call (docs/costs.md): cost null = unknown price, counted apart. */
export function countModelUsage(
  model: string | null | undefined,
  usage: { prompt_tokens: number; completion_tokens: number; cached_prompt_tokens?: number } | undefined,
  costUsd: number | null | undefined,
): void {
  if (!usage) return;
  const m = model || 'unknown';
  modelTokens.inc({ model: m, type: 'prompt' }, usage.prompt_tokens);
  modelTokens.inc({ model: m, type: 'completion' }, usage.completion_tokens);
  if (usage.cached_prompt_tokens) modelTokens.inc({ model: m, type: 'cached' }, usage.cached_prompt_tokens);
  if (costUsd === null) modelUnpricedCalls.inc({ model: m });
  else if (costUsd) modelCost.inc({ model: m }, costUsd);
}

/** The message of the UnrecoverableError a cancelled job's step ends with (StepRunner). */
const CANCELLED_MESSAGE = 'The job was cancelled';

/**
 * Times one attempt of a step of `kind`, labelled with how it ended: `written` / `skipped` (its result), `requeued`
 * (put back after an infrastructure error), `cancelled`, `failed` (for good: its job failed or it was refused), or
 * `retried` (any other error: BullMQ retries it).
 */
export async function timeStep<T>(kind: string, run: () => Promise<T>): Promise<T> {
  const end = stepDuration.startTimer({ kind });
  try {
    const result = await run();
    end({ outcome: result === 'written' ? 'written' : 'skipped' });
    return result;
  } catch (err) {
    const outcome: StepOutcome =
      err instanceof DelayedError
        ? 'requeued'
        : err instanceof UnrecoverableError
          ? err.message === CANCELLED_MESSAGE
            ? 'cancelled'
            : 'failed'
          : 'retried';
    end({ outcome });
    throw err;
  }
}

/** One model call: `startedAt` from performance.now(). */
export function observeModelCall(
  provider: string,
  model: string,
  outcome: ModelCallOutcome,
  startedAt: number,
): void {
  modelCallDuration.observe({ provider, model, outcome }, (performance.now() - startedAt) / 1000);
}

/** What refreshes the scrape-time gauges (ClusterGauges, in processes with the queues); none: they stay empty. */
let scrapeHook: (() => Promise<void>) | null = null;

/** Sets the scrape-time refresh; the returned function removes it (if it is still the one set). */
export function onScrape(hook: () => Promise<void>): () => void {
  scrapeHook = hook;
  return () => {
    if (scrapeHook === hook) scrapeHook = null;
  };
}

/** The Prometheus text of this process: the scrape-time gauges refreshed first, then every metric. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  await scrapeHook?.();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * Whether an `Authorization` header may read the metrics: always when no METRICS_TOKEN is set, else only
 * `Bearer <METRICS_TOKEN>` (compared in constant time).
 */
export function metricsAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
