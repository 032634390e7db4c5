-- Revert integration-sync:table_sync_trigger_audit_actor from pg
-- The audit is append-only (GDPR accountability): rows of service_role triggers stay, so
-- user_id stays nullable when there are such rows (a NOTICE says so); 0.2 reads them as
-- triggers without a user.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.sync_trigger_audit DROP CONSTRAINT IF EXISTS sync_trigger_audit_user_check;
DO $$
BEGIN
  IF EXISTS (SELECT FROM integration_ops.sync_trigger_audit WHERE user_id IS NULL) THEN
    RAISE NOTICE 'revert to 0.2: sync_trigger_audit keeps its service_role rows, so user_id stays nullable';
  ELSE
    ALTER TABLE integration_ops.sync_trigger_audit ALTER COLUMN user_id SET NOT NULL;
  END IF;
END
$$;
ALTER TABLE integration_ops.sync_trigger_audit DROP COLUMN IF EXISTS action;
ALTER TABLE integration_ops.sync_trigger_audit DROP COLUMN IF EXISTS actor;

COMMIT;
