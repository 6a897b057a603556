import { MigrationInterface, QueryRunner } from 'typeorm';

/** An ISO-8601 UTC timestamp with milliseconds, as the API writes them. */
const iso = (expr: string): string => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Webhooks (docs/webhooks.md): endpoints, the transactional outbox of events and the delivery log.
 *
 * Events are written by triggers in the same transaction as the change they describe — every status change of
 * course_generation_jobs (whichever code path makes it: API, engine, reconciler) and every move of a course into or
 * out of `published` — so an event is neither lost nor doubled when a process dies around the change. A trigger
 * writes only when the organization has an enabled endpoint subscribed to the event, so installations without
 * webhooks write nothing extra. The worker's dispatcher turns each event into one delivery per endpoint.
 */
export class Webhooks1796000600000 implements MigrationInterface {
  name = 'Webhooks1796000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_by uuid NULL REFERENCES users(id) ON DELETE SET NULL,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret_encrypted text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text NULL,
        disabled_at timestamptz NULL,
        consecutive_failures int NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_organization_idx ON webhook_endpoints (organization_id)`);

    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        dispatched_at timestamptz NULL
      )`);
    await q.query(`
      CREATE INDEX webhook_events_undispatched_idx ON webhook_events (created_at, id) WHERE dispatched_at IS NULL`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        redeliveries int NOT NULL DEFAULT 0 CHECK (redeliveries >= 0),
        response_status int NULL,
        duration_ms int NULL,
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz NULL,
        delivered_at timestamptz NULL,
        UNIQUE (event_id, endpoint_id)
      )`);
    await q.query(`
      CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC)`);

    // Writes the event when an enabled endpoint of the organization subscribes to it (docs/webhooks.md, "Events").
    await q.query(`
      CREATE FUNCTION webhook_outbox_insert(org uuid, event_type text, data jsonb) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                        WHERE e.organization_id = org AND e.enabled AND event_type = ANY(e.events)) THEN
          RETURN;
        END IF;
        INSERT INTO webhook_events (organization_id, type, payload)
        VALUES (org, event_type,
                jsonb_build_object('type', event_type, 'timestamp', ${iso('clock_timestamp()')}, 'data', data));
      END $$`);

    await q.query(`
      CREATE FUNCTION webhook_job_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        previous text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
        event_type text;
      BEGIN
        IF previous IS NOT DISTINCT FROM NEW.status THEN RETURN NULL; END IF;
        event_type := CASE
          WHEN NEW.status = 'pending' THEN 'job.queued'
          WHEN NEW.status IN ('generating_lessons', 'generating_tasks', 'finalizing')
               AND (previous IS NULL OR previous IN ('pending', 'paused')) THEN 'job.started'
          WHEN NEW.status = 'completed' THEN 'job.completed'
          WHEN NEW.status = 'failed' THEN 'job.failed'
          WHEN NEW.status = 'cancelled' THEN 'job.cancelled'
          WHEN NEW.status = 'paused' THEN 'job.paused'
        END;
        IF event_type IS NULL THEN RETURN NULL; END IF;
        PERFORM webhook_outbox_insert(NEW.organization_id, event_type, jsonb_build_object(
          'job_id', NEW.id,
          'job_type', NEW.job_type,
          'status', NEW.status,
          'previous_status', previous,
          'organization_id', NEW.organization_id,
          'course_id', NEW.course_id,
          'course_title', (SELECT c.title FROM courses c WHERE c.id = NEW.course_id),
          'items_completed', NEW.items_completed,
          'items_total', NEW.items_total,
          'retry_count', NEW.retry_count,
          'error_message', NEW.error_message,
          'failed_step', NEW.failed_step,
          'pause_reason', NEW.pause_reason,
          'cost_usd', NEW.cost_usd::float8,
          'created_at', ${iso('NEW.created_at')},
          'started_at', ${iso('NEW.started_at')},
          'completed_at', ${iso('NEW.completed_at')}));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER course_generation_jobs_webhooks
        AFTER INSERT OR UPDATE OF status ON course_generation_jobs
        FOR EACH ROW EXECUTE FUNCTION webhook_job_event()`);

    await q.query(`
      CREATE FUNCTION webhook_course_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event_type text := CASE
          WHEN NEW.status = 'published' AND OLD.status <> 'published' THEN 'course.published'
          WHEN OLD.status = 'published' AND NEW.status <> 'published' THEN 'course.unpublished'
        END;
      BEGIN
        IF event_type IS NULL THEN RETURN NULL; END IF;
        PERFORM webhook_outbox_insert(NEW.organization_id, event_type, jsonb_build_object(
          'course_id', NEW.id,
          'organization_id', NEW.organization_id,
          'title', NEW.title,
          'status', NEW.status,
          'previous_status', OLD.status,
          'language', NEW.language,
          'level', NEW.level,
          'published_at', ${iso('NEW.published_at')},
          'updated_at', ${iso('NEW.updated_at')}));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER courses_webhooks
        AFTER UPDATE OF status ON courses
        FOR EACH ROW EXECUTE FUNCTION webhook_course_event()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER courses_webhooks ON courses`);
    await q.query(`DROP TRIGGER course_generation_jobs_webhooks ON course_generation_jobs`);
    await q.query(`DROP FUNCTION webhook_course_event()`);
    await q.query(`DROP FUNCTION webhook_job_event()`);
    await q.query(`DROP FUNCTION webhook_outbox_insert(uuid, text, jsonb)`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
