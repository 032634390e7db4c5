-- Revert integration-sync:function_update_run_log_status from pg
BEGIN;
DROP FUNCTION IF EXISTS public.update_run_log_status(uuid, text, integer, integer, text);
COMMIT;
