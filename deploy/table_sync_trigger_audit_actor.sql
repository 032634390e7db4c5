-- Deploy integration-sync:table_sync_trigger_audit_actor to pg
-- requires: table_sync_trigger_audit
-- 0.3 (issues 22, 23, DESIGN §13): who triggered, and what. `actor` is `user` (a signed-in
-- admin or coordinator, user_id set) or `service_role` (a backend or a database trigger
-- through trigger_integration_sync or retry_sync_run; user_id NULL); `action` is `trigger`
-- (a manual run) or `retry` (retry_sync_run: a next attempt of an ended period). Rows
-- written before 0.3 are user triggers. Still append-only.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.sync_trigger_audit
  ADD COLUMN IF NOT EXISTS actor text NOT NULL DEFAULT 'user'
    CONSTRAINT sync_trigger_audit_actor_check CHECK (actor IN ('user', 'service_role')),
  ADD COLUMN IF NOT EXISTS action text NOT NULL DEFAULT 'trigger'
    CONSTRAINT sync_trigger_audit_action_check CHECK (action IN ('trigger', 'retry'));
-- A service_role trigger has no user; the CHECK below keeps every other row's.
-- squawk-ignore ban-drop-not-null
ALTER TABLE integration_ops.sync_trigger_audit ALTER COLUMN user_id DROP NOT NULL;
-- every row but a service_role one names its user; checked for new rows (old ones have one)
-- squawk-ignore ban-drop-constraint
ALTER TABLE integration_ops.sync_trigger_audit DROP CONSTRAINT IF EXISTS sync_trigger_audit_user_check;
ALTER TABLE integration_ops.sync_trigger_audit
  ADD CONSTRAINT sync_trigger_audit_user_check CHECK (user_id IS NOT NULL OR actor = 'service_role') NOT VALID;
-- The audit grows by rate-limited manual triggers only: a small table, validated at once.
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE integration_ops.sync_trigger_audit VALIDATE CONSTRAINT sync_trigger_audit_user_check;

COMMENT ON COLUMN integration_ops.sync_trigger_audit.actor IS
  'user (user_id set) or service_role (a backend or database trigger; user_id NULL).';
COMMENT ON COLUMN integration_ops.sync_trigger_audit.action IS
  'trigger (trigger_integration_sync) or retry (retry_sync_run).';

COMMIT;
