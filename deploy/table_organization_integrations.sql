-- Deploy integration-sync:table_organization_integrations to pg
-- requires: table_organization_integrations@v0.2.0 index_organization_integrations_due trigger_organization_integrations_touch
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index organization_integrations_due_idx -> index_organization_integrations_due
--   trigger organization_integrations_touch -> trigger_organization_integrations_touch
-- The released scripts: deploy/table_organization_integrations@v0.2.0.sql (frozen); a
-- deploy runs them first, so every object named here exists before this rework, which
-- restates only what is this change's own.
-- Which org uses which integration: schedule, endpoint, probe settings, delivery mode.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists). Changes that
-- altered it since: table_organization_integrations_warmup_url (warmup_url).
CREATE TABLE IF NOT EXISTS public.organization_integrations (
  org_id uuid NOT NULL,
  integration_type text NOT NULL REFERENCES public.integration_types (integration_type),
  enabled boolean NOT NULL DEFAULT true,
  sync_interval interval CHECK (sync_interval IS NULL OR sync_interval >= interval '1 minute'),
  sync_anchor timestamptz NOT NULL DEFAULT '2000-01-01 00:00+00',
  next_sync_at timestamptz,
  endpoint_url text CHECK (endpoint_url IS NULL OR endpoint_url ~* '^https?://'),
  health_mode text NOT NULL DEFAULT 'active' CHECK (health_mode IN ('active', 'passive', 'disabled')),
  health_check_interval interval NOT NULL DEFAULT '15 minutes'
    CHECK (health_check_interval >= interval '15 minutes'),
  health_config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(health_config) = 'object'),
  secret_ref text CHECK (secret_ref IS NULL OR secret_ref ~ '^[A-Za-z][A-Za-z0-9_]{0,62}$'),
  delivery text NOT NULL DEFAULT 'worker' CHECK (delivery IN ('worker', 'pg_net')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, integration_type)
);

ALTER TABLE public.organization_integrations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.organization_integrations FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.organization_integrations TO authenticated;
-- Not ALL: since 0.3 no API role holds TRUNCATE, REFERENCES or TRIGGER on the package's
-- tables (privileges_revoke_table_trigger).
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.organization_integrations TO service_role;

DROP POLICY IF EXISTS organization_integrations_read ON public.organization_integrations;
CREATE POLICY organization_integrations_read ON public.organization_integrations
  FOR SELECT TO authenticated
  USING (
    (SELECT integration_ops.is_global_admin())
    OR (
      org_id = (SELECT integration_ops.jwt_org_id())
      AND (SELECT integration_ops.jwt_org_role()) IN ('admin', 'coordinator')
    )
  );

COMMENT ON TABLE public.organization_integrations IS
  'Integrations an org has connected: sync schedule (sync_interval, sync_anchor, next_sync_at), endpoint, health probe settings and delivery mode. Readable by the org''s admins and coordinators and by global admins; written only by service_role.';
COMMENT ON COLUMN public.organization_integrations.sync_interval IS 'Period of scheduled syncs; NULL = manual only.';
COMMENT ON COLUMN public.organization_integrations.sync_anchor IS 'Schedule periods are aligned to this instant (date_bin origin).';
COMMENT ON COLUMN public.organization_integrations.next_sync_at IS 'Start of the next scheduled period; due when <= now().';
COMMENT ON COLUMN public.organization_integrations.endpoint_url IS 'Where a run is POSTed (worker or pg_net).';
COMMENT ON COLUMN public.organization_integrations.health_mode IS 'active: probed; passive: status follows sync outcomes; disabled: no health status.';
COMMENT ON COLUMN public.organization_integrations.health_config IS 'Probe settings per type, e.g. {"url": ..., "degraded_latency_ms": 2000}.';
COMMENT ON COLUMN public.organization_integrations.secret_ref IS 'Name of a secret the worker resolves from ORCHESTRATOR_SECRET_<REF>; never a secret itself.';
COMMENT ON COLUMN public.organization_integrations.delivery IS 'worker (the Python worker POSTs the run) or pg_net (Postgres POSTs it).';

COMMIT;
