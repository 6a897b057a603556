import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookEndpointView,
  WebhookEventType,
  WebhookSecretResponse,
} from '../../../contracts/api';
import { InvalidInputError, NotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { RefusedAddressError, resolveTarget } from './outbound-address';
import { newSigningSecret, WebhookSecrets } from './webhook-secrets';

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, url, description, events, enabled, disabled_reason, disabled_at, consecutive_failures,
  created_at, updated_at`;

const view = (r: EndpointRow): WebhookEndpointView => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  enabled: r.enabled,
  disabled_reason: r.disabled_reason,
  disabled_at: r.disabled_at?.toISOString() ?? null,
  consecutive_failures: r.consecutive_failures,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

/** Owners' webhook endpoints: the only code that reads or writes webhook_endpoints (docs/webhooks.md). */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
  ) {}

  async list(organizationId: string): Promise<WebhookEndpointView[]> {
    const rows: EndpointRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE organization_id = $1 ORDER BY created_at, id`,
      [organizationId],
    );
    return rows.map(view);
  }

  async get(organizationId: string, id: string): Promise<WebhookEndpointView> {
    const [row]: EndpointRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    );
    if (!row) throw new NotFoundError('Webhook endpoint');
    return view(row);
  }

  async create(
    organizationId: string,
    userId: string,
    input: CreateWebhookRequest,
  ): Promise<WebhookSecretResponse> {
    await this.assertReachable(input.url);
    const secret = newSigningSecret();
    const [row]: EndpointRow[] = await this.db.query(
      `INSERT INTO webhook_endpoints (organization_id, created_by, url, description, events, secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [organizationId, userId, input.url, input.description ?? '', input.events, this.secrets.seal(secret)],
    );
    return { endpoint: view(row), secret };
  }

  async update(
    organizationId: string,
    id: string,
    input: UpdateWebhookRequest,
  ): Promise<WebhookEndpointView> {
    if (input.url !== undefined) await this.assertReachable(input.url);
    // Re-enabling clears the failure run, so the endpoint gets a full WEBHOOK_MAX_FAILURES again.
    const row = await this.updateOne(
      `UPDATE webhook_endpoints SET
         url = COALESCE($3, url), description = COALESCE($4, description), events = COALESCE($5, events),
         enabled = COALESCE($6, enabled),
         disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason WHEN $6 THEN NULL ELSE 'Disabled by an owner' END,
         disabled_at = CASE WHEN $6 IS NULL THEN disabled_at WHEN $6 THEN NULL ELSE COALESCE(disabled_at, now()) END,
         consecutive_failures = CASE WHEN $6 THEN 0 ELSE consecutive_failures END,
         updated_at = now()
       WHERE id = $1 AND organization_id = $2 RETURNING ${COLUMNS}`,
      [
        id,
        organizationId,
        input.url ?? null,
        input.description ?? null,
        input.events ?? null,
        input.enabled ?? null,
      ],
    );
    if (!row) throw new NotFoundError('Webhook endpoint');
    return view(row);
  }

  /** Deletes the endpoint and its delivery log; deliveries still queued find no row and do nothing. */
  async remove(organizationId: string, id: string): Promise<void> {
    const [, count] = (await this.db.query(
      `DELETE FROM webhook_endpoints WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    )) as [unknown, number];
    if (count === 0) throw new NotFoundError('Webhook endpoint');
  }

  /** A new secret signs every attempt from now on; the old one stops at once. */
  async rotateSecret(organizationId: string, id: string): Promise<WebhookSecretResponse> {
    const secret = newSigningSecret();
    const row = await this.updateOne(
      `UPDATE webhook_endpoints SET secret_encrypted = $3, updated_at = now()
       WHERE id = $1 AND organization_id = $2 RETURNING ${COLUMNS}`,
      [id, organizationId, this.secrets.seal(secret)],
    );
    if (!row) throw new NotFoundError('Webhook endpoint');
    return { endpoint: view(row), secret };
  }

  /** TypeORM answers an UPDATE with [rows, count]. */
  private async updateOne(sql: string, params: unknown[]): Promise<EndpointRow | undefined> {
    const [rows] = (await this.db.query(sql, params)) as [EndpointRow[], number];
    return rows[0];
  }

  /** Refuses at registration what delivery would refuse: a host that does not resolve or resolves privately. */
  private async assertReachable(url: string): Promise<void> {
    try {
      await resolveTarget(new URL(url), this.config.WEBHOOK_ALLOW_PRIVATE);
    } catch (err) {
      if (err instanceof RefusedAddressError) throw new InvalidInputError(`url: ${err.message}`);
      throw err;
    }
  }
}
