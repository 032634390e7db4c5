-- Deploy integration-sync:table_settings to pg
-- requires: schema_integration_ops
-- One row of typed tunables; functions read it, nothing hard-codes these values.
BEGIN;

CREATE TABLE IF NOT EXISTS integration_ops.settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  history_cap integer NOT NULL DEFAULT 96 CHECK (history_cap BETWEEN 1 AND 100000),
  history_retention interval NOT NULL DEFAULT '30 days' CHECK (history_retention > interval '0'),
  run_log_retention interval NOT NULL DEFAULT '90 days' CHECK (run_log_retention > interval '0'),
  stale_run_timeout interval NOT NULL DEFAULT '30 minutes' CHECK (stale_run_timeout > interval '0'),
  manual_rate_limit interval NOT NULL DEFAULT '5 minutes' CHECK (manual_rate_limit >= interval '0'),
  drift_alert interval NOT NULL DEFAULT '5 minutes' CHECK (drift_alert > interval '0'),
  health_check_timeout interval NOT NULL DEFAULT '10 seconds' CHECK (health_check_timeout > interval '0'),
  -- Beyond DESIGN §7 (internals of this package):
  health_backoff_cap interval NOT NULL DEFAULT '4 hours' CHECK (health_backoff_cap >= interval '15 minutes'),
  job_run_details_retention interval NOT NULL DEFAULT '7 days' CHECK (job_run_details_retention > interval '0'),
  pg_net_timeout interval NOT NULL DEFAULT '45 seconds' CHECK (pg_net_timeout > interval '0'),
  pg_net_vault_secret text NOT NULL DEFAULT 'integration_service_key',
  archive_batch_size integer NOT NULL DEFAULT 1000 CHECK (archive_batch_size BETWEEN 1 AND 100000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO integration_ops.settings (id) VALUES (true) ON CONFLICT (id) DO NOTHING;

ALTER TABLE integration_ops.settings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.settings FROM PUBLIC;
GRANT SELECT, UPDATE ON TABLE integration_ops.settings TO service_role;

COMMENT ON TABLE integration_ops.settings IS
  'Tunables of the integration sync & health package (exactly one row). Update with service_role or as the owner.';

COMMIT;
