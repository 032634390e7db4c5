-- Revert integration-sync:function_get_last_run_per_integration from pg
BEGIN;
DROP FUNCTION IF EXISTS public.get_last_run_per_integration(uuid);
COMMIT;
