-- Revert integration-sync:function_get_health_trend from pg
BEGIN;
DROP FUNCTION IF EXISTS public.get_health_trend(uuid, text, integer);
COMMIT;
