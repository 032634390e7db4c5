-- Deploy integration-sync:function_is_worker_id to pg
-- requires: schema_integration_ops
-- 0.3 (issue 21, DESIGN §13): the one rule for a stored worker id. A worker id is chosen by
-- whoever runs a worker and is shown to coordinators (sync_run_log.worker_id, the claimed_by
-- columns), so it may hold no space, no `=`, no quote: 1 to 100 characters, letters, digits
-- and . _ : @ / + -, starting with a letter or digit (host:pid, pg_net). The CHECK
-- constraints of the identifier-check changes and the worker RPCs use it. PL/pgSQL, not
-- SQL: a SQL function with a SET clause is planned at every call, and the checks call it on
-- every write of sync_run_log. EXECUTE for service_role: a CHECK runs with the privileges of
-- the writing role, and service_role writes sync_run_log and integration_health_status
-- directly.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_worker_id(worker_id text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN coalesce(is_worker_id.worker_id ~ '^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,99}$', false);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.is_worker_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.is_worker_id(text) TO service_role;
COMMENT ON FUNCTION integration_ops.is_worker_id(text) IS
  'True when worker_id may be stored as a worker id: 1 to 100 characters, letters, digits and . _ : @ / + -, starting with a letter or digit (host:pid, pg_net); false for NULL. Checked on every column that stores one (sync_run_log.worker_id, the archive, claimed_by) and by the worker RPCs (DESIGN §13).';

COMMIT;
