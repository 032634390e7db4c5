-- Deploy integration-sync:function_sync_pair_lock_key to pg
-- requires: function_enqueue_sync_runs@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_enqueue_sync_runs. Reverting restores that definition.
-- Advisory-lock key of an (org, integration type) pair, shared by the dispatcher and the
-- manual trigger.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_pair_lock_key(org_id uuid, integration_type text)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT hashtextextended('integration_sync:' || sync_pair_lock_key.org_id::text || ':'
                          || sync_pair_lock_key.integration_type, 0)
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_pair_lock_key(uuid,text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sync_pair_lock_key(uuid, text) IS
  'Internal: the transaction advisory-lock key of an (org, integration type) pair.';

COMMIT;
