-- Revert integration-sync:function_retry_sync_run from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS public.retry_sync_run(uuid);
DROP FUNCTION IF EXISTS integration_ops.retry_sync_run(uuid);
COMMIT;
