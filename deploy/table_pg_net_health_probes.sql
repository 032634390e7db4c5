-- Deploy integration-sync:table_pg_net_health_probes to pg
-- requires: table_organization_integrations schema_integration_ops
-- 0.3 (issue 23, DESIGN §13 "Adoption"): the probes Postgres has sent through pg_net for the
-- active health checks of pairs with delivery = 'pg_net', one row per pair while its check
-- is open. integration_ops.send_pg_net_health_checks writes a row when it sends a probe;
-- integration_ops.record_pg_net_health_checks reads the answer from net._http_response (only
-- responses created since the oldest open probe, through pg_net's index on created), records
-- the result with integration_ops.record_health_check and deletes the row.
--
-- A check has one or two probes (pg_net reports no duration, so the degraded threshold is
-- enforced by pg_net's own timeout): stage 1 is a GET with timeout_ms = the pair's
-- degraded_latency_ms (at most settings.health_check_timeout); when it times out, the row
-- turns stage 2 (net_request_id and sent_at NULL: waiting to be sent) and a second GET with
-- timeout_ms = health_check_timeout tells a slow answer (degraded) from none (unreachable).
--
-- The pair's key is a foreign key (ON DELETE / ON UPDATE CASCADE): a removed pair's open
-- probe goes with it, and a re-keyed pair keeps its probe. No index beyond the key: the table
-- holds at most one row per pg_net pair, and the recorder reads it whole (a few rows).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS integration_ops.pg_net_health_probes (
  org_id uuid NOT NULL,
  integration_type text NOT NULL,
  stage integer NOT NULL DEFAULT 1,
  url text NOT NULL,
  degraded_latency_ms integer NOT NULL,
  first_timeout_ms integer NOT NULL,
  timeout_ms integer NOT NULL,
  net_request_id bigint,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pg_net_health_probes_pkey PRIMARY KEY (org_id, integration_type),
  CONSTRAINT pg_net_health_probes_pair_fkey FOREIGN KEY (org_id, integration_type)
    REFERENCES public.organization_integrations (org_id, integration_type)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT pg_net_health_probes_stage_check CHECK (stage IN (1, 2)),
  CONSTRAINT pg_net_health_probes_limits_check CHECK (
    degraded_latency_ms > 0 AND first_timeout_ms > 0 AND timeout_ms > 0),
  -- Sent (a request id and the moment) or waiting to be sent (stage 2 only).
  CONSTRAINT pg_net_health_probes_sent_check CHECK (
    (net_request_id IS NULL) = (sent_at IS NULL) AND (net_request_id IS NOT NULL OR stage = 2))
);

ALTER TABLE integration_ops.pg_net_health_probes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.pg_net_health_probes FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.pg_net_health_probes TO service_role;

COMMENT ON TABLE integration_ops.pg_net_health_probes IS
  'Open pg_net health probes (DESIGN §13 "Adoption"), one row per pg_net pair whose active check is under way: written by send_pg_net_health_checks, read and deleted by record_pg_net_health_checks (which records the result through record_health_check). Stage 1: GET with timeout_ms = degraded_latency_ms; stage 2 (after a stage-1 timeout): GET with timeout_ms = settings.health_check_timeout, answered = degraded, none = unreachable.';
COMMENT ON COLUMN integration_ops.pg_net_health_probes.stage IS
  '1: the threshold probe (pg_net timeout = degraded_latency_ms); 2: the second probe after a stage-1 timeout (pg_net timeout = health_check_timeout).';
COMMENT ON COLUMN integration_ops.pg_net_health_probes.first_timeout_ms IS
  'The stage-1 timeout in ms: degraded_latency_ms, at most settings.health_check_timeout when sent.';
COMMENT ON COLUMN integration_ops.pg_net_health_probes.timeout_ms IS
  'The timeout_milliseconds of the probe in flight (stage 1: first_timeout_ms; stage 2: settings.health_check_timeout).';
COMMENT ON COLUMN integration_ops.pg_net_health_probes.net_request_id IS
  'The pg_net request id (net.http_get); NULL while a stage-2 probe waits to be sent.';
COMMENT ON COLUMN integration_ops.pg_net_health_probes.sent_at IS
  'clock_timestamp() when the probe in flight was queued; latency_ms is measured from it to the response row''s created (see docs/health.md for what that includes).';

COMMIT;
