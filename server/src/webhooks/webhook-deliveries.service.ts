import { Injectable, Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import type {
  WebhookDeliveryListResponse,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEventType,
} from '../../../contracts/api';
import { ConflictError, NotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { sendWebhook } from './webhook-sender';
import { WebhookQueue } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';
import { DeliveryToEnqueue, webhookMessageId } from './webhooks.constants';

export const DELIVERY_PAGE_SIZE = 50;

interface DeliveryRow {
  id: string;
  event_type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

const view = (r: DeliveryRow): WebhookDeliveryView => ({
  id: r.id,
  webhook_id: webhookMessageId(r.id),
  event_type: r.event_type,
  status: r.status,
  attempts: r.attempts,
  response_status: r.response_status,
  duration_ms: r.duration_ms,
  last_error: r.last_error,
  created_at: r.created_at.toISOString(),
  last_attempt_at: r.last_attempt_at?.toISOString() ?? null,
  delivered_at: r.delivered_at?.toISOString() ?? null,
});

/** What one attempt did; `retry` asks the queue for another attempt (BullMQ backoff). */
export type AttemptOutcome = 'skipped' | 'succeeded' | 'retry' | 'failed';

/** A last error kept short: it is shown in the console's delivery log. */
const clip = (s: string): string => (s.length > 500 ? `${s.slice(0, 497)}…` : s);

/**
 * The delivery log (webhook_deliveries) and the attempts themselves: the only code that reads or writes it.
 * docs/webhooks.md, "Deliveries".
 */
@Injectable()
export class WebhookDeliveriesService {
  private readonly logger = new Logger(WebhookDeliveriesService.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
    private readonly queue: WebhookQueue,
  ) {}

  /**
   * One delivery row per (event, endpoint subscribed now and enabled); a second run over the same events creates
   * nothing (the unique key) and returns the same deliveries, which enqueue under the same queue ids.
   */
  async createForEvents(eventIds: string[]): Promise<DeliveryToEnqueue[]> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, organization_id)
       SELECT ev.id, e.id, ev.organization_id
         FROM webhook_events ev
         JOIN webhook_endpoints e ON e.organization_id = ev.organization_id AND e.enabled AND ev.type = ANY(e.events)
        WHERE ev.id = ANY($1)
       ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
      [eventIds],
    );
    return this.db.query(
      `SELECT id AS delivery_id, event_id, endpoint_id, redeliveries FROM webhook_deliveries
        WHERE event_id = ANY($1) AND status = 'pending' AND attempts = 0`,
      [eventIds],
    );
  }

  /**
   * Deliveries still to be attempted whose last activity is older than `olderThanMs` — normally each has its queue
   * entry (waiting, or delayed for a retry); one whose entry Redis lost (a flush, a failover) is re-added by the
   * dispatcher under the same queue id, which is a no-op for the others.
   */
  stale(olderThanMs: number, limit: number): Promise<DeliveryToEnqueue[]> {
    return this.db.query(
      `SELECT id AS delivery_id, event_id, endpoint_id, redeliveries FROM webhook_deliveries
        WHERE status IN ('pending', 'retrying')
          AND COALESCE(last_attempt_at, created_at) < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  async list(organizationId: string, endpointId: string, page: number): Promise<WebhookDeliveryListResponse> {
    await this.assertEndpoint(organizationId, endpointId);
    const rows: (DeliveryRow & { total: number })[] = await this.db.query(
      `SELECT d.id, ev.type AS event_type, d.status, d.attempts, d.response_status, d.duration_ms, d.last_error,
              d.created_at, d.last_attempt_at, d.delivered_at, count(*) OVER ()::int AS total
         FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
        WHERE d.endpoint_id = $1 AND d.organization_id = $2
        ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4`,
      [endpointId, organizationId, DELIVERY_PAGE_SIZE, (page - 1) * DELIVERY_PAGE_SIZE],
    );
    const total = rows[0]?.total ?? (page > 1 ? await this.count(endpointId) : 0);
    return { deliveries: rows.map(view), total, page, page_size: DELIVERY_PAGE_SIZE };
  }

  /**
   * Sends a finished delivery again — same body, same `webhook-id` — with a fresh series of attempts. 409 while it
   * is still being attempted or when the endpoint is disabled.
   */
  async redeliver(
    organizationId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    const enabled = await this.assertEndpoint(organizationId, endpointId);
    if (!enabled) throw new ConflictError('The endpoint is disabled; enable it before redelivering');
    const [rows] = (await this.db.query(
      `UPDATE webhook_deliveries SET status = 'pending', redeliveries = redeliveries + 1
        WHERE id = $1 AND endpoint_id = $2 AND organization_id = $3 AND status IN ('succeeded', 'failed')
        RETURNING id AS delivery_id, event_id, endpoint_id, redeliveries`,
      [deliveryId, endpointId, organizationId],
    )) as [DeliveryToEnqueue[], number];
    if (rows.length === 0) {
      const [existing] = await this.db.query(
        `SELECT status FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 AND organization_id = $3`,
        [deliveryId, endpointId, organizationId],
      );
      if (!existing) throw new NotFoundError('Webhook delivery');
      throw new ConflictError(
        `The delivery is still being attempted (${existing.status}); redeliver it once it ends`,
      );
    }
    await this.queue.add(rows);
    return this.get(deliveryId);
  }

  /**
   * One attempt of a delivery (the webhooks queue's processor). Nothing is sent when the delivery already ended —
   * a duplicate queue entry — or was deleted; a disabled endpoint's delivery fails without a request.
   */
  async attempt(deliveryId: string, lastAttempt: boolean): Promise<AttemptOutcome> {
    const [[claimed]] = (await this.db.query(
      `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now()
         FROM webhook_endpoints e, webhook_events ev
        WHERE d.id = $1 AND e.id = d.endpoint_id AND ev.id = d.event_id AND e.enabled
          AND d.status IN ('pending', 'retrying')
        RETURNING d.endpoint_id, e.url, e.secret_encrypted, ev.payload`,
      [deliveryId],
    )) as [{ endpoint_id: string; url: string; secret_encrypted: string; payload: unknown }[], number];
    if (!claimed) {
      await this.db.query(
        `UPDATE webhook_deliveries d SET status = 'failed', last_error = 'The endpoint is disabled'
           FROM webhook_endpoints e
          WHERE d.id = $1 AND e.id = d.endpoint_id AND NOT e.enabled AND d.status IN ('pending', 'retrying')`,
        [deliveryId],
      );
      return 'skipped';
    }
    const body = JSON.stringify(claimed.payload);
    const messageId = webhookMessageId(deliveryId);
    const now = new Date();
    const signature = new Webhook(this.secrets.open(claimed.secret_encrypted)).sign(messageId, now, body);
    const result = await sendWebhook({
      url: claimed.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Courseloom-Webhooks/1',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE,
    });
    if (!result.error) {
      await this.db.transaction(async (m) => {
        await m.query(
          `UPDATE webhook_deliveries SET status = 'succeeded', response_status = $2, duration_ms = $3,
                  last_error = NULL, delivered_at = now() WHERE id = $1`,
          [deliveryId, result.status, result.durationMs],
        );
        await m.query(
          `UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`,
          [claimed.endpoint_id],
        );
      });
      return 'succeeded';
    }
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE webhook_deliveries SET status = $2, response_status = $3, duration_ms = $4, last_error = $5
          WHERE id = $1`,
        [
          deliveryId,
          lastAttempt ? 'failed' : 'retrying',
          result.status,
          result.durationMs,
          clip(result.error!),
        ],
      );
      if (lastAttempt) await this.countFailedDelivery(m, claimed.endpoint_id);
    });
    return lastAttempt ? 'failed' : 'retry';
  }

  /** BullMQ gave up on a delivery by itself (it stalled too often): the log says so. */
  async abandon(deliveryId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status IN ('pending', 'retrying')`,
      [deliveryId, clip(reason)],
    );
  }

  /** A delivery failed every attempt: one more in the endpoint's run; at WEBHOOK_MAX_FAILURES it is disabled. */
  private async countFailedDelivery(m: Pick<DataSource, 'query'>, endpointId: string): Promise<void> {
    const max = this.config.WEBHOOK_MAX_FAILURES;
    const [rows] = (await m.query(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
              enabled = CASE WHEN consecutive_failures + 1 >= $2 THEN false ELSE enabled END,
              disabled_reason = CASE WHEN consecutive_failures + 1 >= $2 AND enabled
                THEN $3 ELSE disabled_reason END,
              disabled_at = CASE WHEN consecutive_failures + 1 >= $2 AND enabled THEN now() ELSE disabled_at END
        WHERE id = $1 RETURNING enabled, consecutive_failures`,
      [endpointId, max, `Disabled after ${max} deliveries in a row failed`],
    )) as [{ enabled: boolean; consecutive_failures: number }[], number];
    if (rows[0] && !rows[0].enabled && rows[0].consecutive_failures === max)
      this.logger.warn(`Disabled webhook endpoint ${endpointId} after ${max} failed deliveries in a row`);
  }

  private async get(deliveryId: string): Promise<WebhookDeliveryView> {
    const [row]: DeliveryRow[] = await this.db.query(
      `SELECT d.id, ev.type AS event_type, d.status, d.attempts, d.response_status, d.duration_ms, d.last_error,
              d.created_at, d.last_attempt_at, d.delivered_at
         FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = $1`,
      [deliveryId],
    );
    return view(row);
  }

  private async count(endpointId: string): Promise<number> {
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpointId],
    );
    return n as number;
  }

  /** 404 unless the endpoint is the organization's; returns whether it is enabled. */
  private async assertEndpoint(organizationId: string, endpointId: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT enabled FROM webhook_endpoints WHERE id = $1 AND organization_id = $2`,
      [endpointId, organizationId],
    );
    if (!row) throw new NotFoundError('Webhook endpoint');
    return row.enabled as boolean;
  }
}
