-- Revert integration-sync:function_get_engine_status from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS public.get_engine_status();
COMMIT;
