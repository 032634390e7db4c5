-- Deploy integration-sync:table_settings_warmup_tunables to pg
-- requires: table_settings_engine_tunables
-- 0.2 cold starts (DESIGN §12): how long before a scheduled period the warm-up GET goes
-- out, and how long an endpoint may be idle before a failed call counts as a cold start.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS warmup_lead interval NOT NULL DEFAULT '30 seconds'
    CONSTRAINT settings_warmup_lead_range
      CHECK (warmup_lead > interval '0' AND warmup_lead <= interval '10 minutes'),
  ADD COLUMN IF NOT EXISTS cold_start_idle interval NOT NULL DEFAULT '10 minutes'
    CONSTRAINT settings_cold_start_idle_positive CHECK (cold_start_idle > interval '0');

COMMENT ON COLUMN integration_ops.settings.warmup_lead IS
  'How long before each scheduled period of an enabled pair with a warmup_url the warm-up GET is sent (worker: claim_warmups; pg_net pairs: the pg_cron job integration_send_pg_net_warmups).';
COMMENT ON COLUMN integration_ops.settings.cold_start_idle IS
  'A scheduled call that fails with timeout/connection_error when its pair had no completed run and no answered warm-up within this long is a cold start: warmed, retried once, recorded in sync_run_log.cold_start.';

GRANT UPDATE (warmup_lead, cold_start_idle) ON TABLE integration_ops.settings TO service_role;

COMMIT;
