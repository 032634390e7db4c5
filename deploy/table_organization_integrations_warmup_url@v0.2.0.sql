-- Deploy integration-sync:table_organization_integrations_warmup_url to pg
-- requires: table_organization_integrations
-- 0.2 cold starts (DESIGN §12): where the warm-up GET goes (NULL: no warm-up), and a
-- partial index so the warm-up passes read only the pairs that have one.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE public.organization_integrations
  ADD COLUMN IF NOT EXISTS warmup_url text
    CONSTRAINT organization_integrations_warmup_url_http
      CHECK (warmup_url ~* '^https?://' AND length(warmup_url) <= 2000);

-- A plain CREATE INDEX: deploy scripts are transactions (CONCURRENTLY cannot run in one);
-- the partial index is built from one pass over organization_integrations (one row per
-- pair, thousands of rows) in milliseconds, and no row has a warmup_url yet.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS organization_integrations_warmup_idx
  ON public.organization_integrations (next_sync_at)
  WHERE warmup_url IS NOT NULL;

COMMENT ON COLUMN public.organization_integrations.warmup_url IS
  'Optional: a GET goes here settings.warmup_lead before each scheduled period (same Authorization header as the sync call), so the endpoint is warm when the run is POSTed. NULL: no warm-up.';

COMMIT;
