/** The one job name of the webhooks queue (QUEUES.webhooks): one delivery attempt series of an event to an endpoint. */
export const WEBHOOK_DELIVERY_JOB = 'deliver';

export interface WebhookDeliveryPayload {
  delivery_id: string;
}

export interface DeliveryToEnqueue {
  delivery_id: string;
  event_id: string;
  endpoint_id: string;
  /** 0 for the dispatcher's delivery; n for the n-th Redeliver. */
  redeliveries: number;
}

/**
 * The queue id is derived from (event, endpoint) — and the Redeliver count — so the dispatcher running twice over the
 * same event (a crash before it marked the event dispatched) adds nothing (BullMQ ids cannot hold ':').
 */
export const deliveryQueueJobId = (d: DeliveryToEnqueue): string =>
  d.redeliveries === 0
    ? `${d.event_id}_${d.endpoint_id}`
    : `${d.event_id}_${d.endpoint_id}_m${d.redeliveries}`;

/** The `webhook-id` header: one per (event, endpoint), the same on every attempt and Redeliver, so receivers dedupe. */
export const webhookMessageId = (deliveryId: string): string => `msg_${deliveryId.replace(/-/g, '')}`;
