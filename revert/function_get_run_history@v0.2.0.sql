-- Revert integration-sync:function_get_run_history from pg
BEGIN;
DROP FUNCTION IF EXISTS public.get_run_history(uuid, text, integer);
COMMIT;
