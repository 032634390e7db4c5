-- Revert integration-sync:table_integration_health_history from pg
BEGIN;
DROP TABLE IF EXISTS public.integration_health_history;
COMMIT;
