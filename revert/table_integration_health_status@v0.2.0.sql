-- Revert integration-sync:table_integration_health_status from pg
BEGIN;
DROP TABLE IF EXISTS public.integration_health_status;
DROP FUNCTION IF EXISTS integration_ops.sanitize_health_error_message();
COMMIT;
