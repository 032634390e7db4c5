-- Deploy integration-sync:table_organization_integrations_warmup_url to pg
-- requires: table_organization_integrations_warmup_url@v0.2.0 index_organization_integrations_warmup
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index organization_integrations_warmup_idx -> index_organization_integrations_warmup
-- The released scripts: deploy/table_organization_integrations_warmup_url@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own.
-- 0.2 cold starts (DESIGN §12): where the warm-up GET goes (NULL: no warm-up), and a
-- partial index so the warm-up passes read only the pairs that have one.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE public.organization_integrations
  ADD COLUMN IF NOT EXISTS warmup_url text
    CONSTRAINT organization_integrations_warmup_url_http
      CHECK (warmup_url ~* '^https?://' AND length(warmup_url) <= 2000);

COMMENT ON COLUMN public.organization_integrations.warmup_url IS
  'Optional: a GET goes here settings.warmup_lead before each scheduled period (same Authorization header as the sync call), so the endpoint is warm when the run is POSTed. NULL: no warm-up.';

COMMIT;
