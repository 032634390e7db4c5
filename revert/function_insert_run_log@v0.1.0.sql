-- Revert integration-sync:function_insert_run_log from pg
BEGIN;
DROP FUNCTION IF EXISTS public.insert_run_log(uuid, text, text);
COMMIT;
