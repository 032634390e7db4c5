-- Deploy integration-sync:table_integration_types_max_concurrent_runs to pg
-- requires: table_integration_types
-- 0.3 (issue 22, DESIGN §13 flow control): at most this many runs of the type are in flight
-- (running) across all orgs, on both delivery paths; NULL: no cap. Other types are never
-- slowed by a capped one; within a type, the oldest runs go first.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE public.integration_types
  ADD COLUMN IF NOT EXISTS max_concurrent_runs integer
    CONSTRAINT integration_types_max_concurrent_runs_positive CHECK (max_concurrent_runs >= 1);

COMMENT ON COLUMN public.integration_types.max_concurrent_runs IS
  'At most this many runs of the type in flight across all orgs (worker and pg_net); NULL: no cap. A national endpoint (Bufdir) or a vendor rate limit is protected by setting it.';

COMMIT;
