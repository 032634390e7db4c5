-- Revert integration-sync:table_health_status_counts from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_status_counts_insert ON public.integration_health_status;
DROP TRIGGER IF EXISTS integration_health_status_counts_update ON public.integration_health_status;
DROP TRIGGER IF EXISTS integration_health_status_counts_delete ON public.integration_health_status;
DROP TRIGGER IF EXISTS integration_health_status_counts_truncate ON public.integration_health_status;
DROP FUNCTION IF EXISTS integration_ops.trigger_health_status_counts();
DROP FUNCTION IF EXISTS integration_ops.rebuild_health_status_counts();
DROP FUNCTION IF EXISTS integration_ops.add_health_status_counts(text, integer, integer, integer);
DROP TABLE IF EXISTS integration_ops.health_status_counts;
COMMIT;
