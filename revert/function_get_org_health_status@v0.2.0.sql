-- Revert integration-sync:function_get_org_health_status from pg
BEGIN;
DROP FUNCTION IF EXISTS public.get_org_health_status(uuid);
COMMIT;
