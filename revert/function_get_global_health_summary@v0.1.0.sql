-- Revert integration-sync:function_get_global_health_summary from pg
BEGIN;
DROP FUNCTION IF EXISTS public.get_global_health_summary();
COMMIT;
