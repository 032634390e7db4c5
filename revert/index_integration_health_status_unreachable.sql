-- Revert integration-sync:index_integration_health_status_unreachable from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP INDEX IF EXISTS public.integration_health_status_unreachable_idx;
COMMIT;
