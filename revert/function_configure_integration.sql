-- Revert integration-sync:function_configure_integration from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean);
DROP FUNCTION IF EXISTS integration_ops.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean);
COMMIT;
