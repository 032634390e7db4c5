-- Deploy integration-sync:table_integration_warmups to pg
-- requires: table_organization_integrations_warmup_url
-- Warm-up bookkeeping per pair, kept out of organization_integrations so a warm-up never
-- touches the pair row (no trigger, no updated_at, no lock against the dispatcher):
-- warmed_for = the period whose warm-up was claimed (a second claim for the same period
-- finds nothing: two workers never both warm), answered_at = when a warm-up last got an
-- HTTP answer (any status; read by the cold-start rule). Never creates a run, never
-- touches health status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS integration_ops.integration_warmups (
  org_id uuid NOT NULL,
  integration_type text NOT NULL,
  warmed_for timestamptz,
  claimed_by text,
  claimed_at timestamptz,
  answered_at timestamptz,
  http_status integer,
  net_request_id bigint,
  CONSTRAINT integration_warmups_pkey PRIMARY KEY (org_id, integration_type),
  CONSTRAINT integration_warmups_pair_fkey FOREIGN KEY (org_id, integration_type)
    REFERENCES public.organization_integrations (org_id, integration_type) ON DELETE CASCADE
);

ALTER TABLE integration_ops.integration_warmups ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.integration_warmups FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.integration_warmups TO service_role;

COMMENT ON TABLE integration_ops.integration_warmups IS
  'Warm-up bookkeeping per pair: warmed_for (the scheduled period whose warm-up was claimed; claimed once), claimed_by (worker id or pg_net), answered_at and http_status (the last warm-up that got an HTTP answer), net_request_id (a pg_net warm-up awaiting its answer). Written only by claim_warmups, record_warmup and send_pg_net_warmups.';
COMMENT ON COLUMN integration_ops.integration_warmups.warmed_for IS
  'The next_sync_at whose warm-up was claimed; a claim for the same period finds nothing, so two workers never both warm.';
COMMENT ON COLUMN integration_ops.integration_warmups.answered_at IS
  'When a warm-up (scheduled or before a cold-start retry) last got an HTTP answer; an answer within settings.cold_start_idle means the endpoint is warm.';

COMMIT;
