-- Revert integration-sync:function_sync_pair_lock_key from pg: restore the 0.2 definition
-- (created by function_enqueue_sync_runs@v0.1.0), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_pair_lock_key(org_id uuid, integration_type text)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT hashtextextended('integration_sync:' || sync_pair_lock_key.org_id::text || ':'
                          || sync_pair_lock_key.integration_type, 0)
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_pair_lock_key(uuid,text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.sync_pair_lock_key(uuid,text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.sync_pair_lock_key(uuid, text) IS
  'Internal: the transaction advisory-lock key of an (org, integration type) pair.';

COMMIT;
