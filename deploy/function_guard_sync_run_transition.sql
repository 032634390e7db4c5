-- Deploy integration-sync:function_guard_sync_run_transition to pg
-- requires: trigger_sync_run_log_transition_guard
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_sync_run_log_transition_guard. Reverting restores that definition.
-- 0.3 (issue 21): a pg_net delivery may also fail at once with url_not_allowed (a URL
-- written before 0.3 that breaks the URL rules) or webhook_secret_missing (no signing
-- secret in Vault).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.guard_sync_run_transition()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF (OLD.status = 'pending' AND NEW.status IN ('running', 'cancelled'))
     OR (OLD.status = 'pending' AND NEW.status = 'failed'
         AND NEW.error_code IN ('delivery_error', 'pg_net_unavailable', 'no_endpoint',
                                'url_not_allowed', 'webhook_secret_missing'))
     OR (OLD.status = 'running' AND NEW.status IN ('completed', 'failed', 'cancelled')) THEN
    RETURN NEW;
  END IF;
  PERFORM integration_ops.raise_error('invalid_transition',
    format('Run %s cannot go from %s to %s.', OLD.id, OLD.status, left(NEW.status, 20)));
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.guard_sync_run_transition() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.guard_sync_run_transition() IS
  'Trigger: refuses (invalid_transition, PT409) any status change of sync_run_log outside pending -> running|cancelled|failed(delivery failure) and running -> completed|failed|cancelled.';

COMMIT;
