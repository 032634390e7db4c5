-- Revert integration-sync:function_trigger_integration_sync from pg
BEGIN;
DROP FUNCTION IF EXISTS public.trigger_integration_sync(uuid, text);
COMMIT;
