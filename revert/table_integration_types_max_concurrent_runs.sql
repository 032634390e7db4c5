-- Revert integration-sync:table_integration_types_max_concurrent_runs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.integration_types DROP COLUMN IF EXISTS max_concurrent_runs;
COMMIT;
