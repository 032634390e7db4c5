-- Verify integration-sync:table_integration_types_max_concurrent_runs on pg
BEGIN;
SELECT max_concurrent_runs FROM public.integration_types WHERE false;
ROLLBACK;
