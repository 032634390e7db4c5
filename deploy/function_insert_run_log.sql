-- Deploy integration-sync:function_insert_run_log to pg
-- requires: function_insert_run_log@v0.2.0 function_lock_pair function_require_configured_integration
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.insert_run_log is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.insert_run_log in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- 0.2: takes the pair's advisory lock like every other creation path, so a dispatcher
-- running meanwhile skips the pair (it stays due for its period) instead of advancing the
-- schedule past a period whose run then conflicts with this one and is lost.
-- DESIGN §5: create a `running` run for a caller that runs the sync itself (service_role).
-- 0.3 (issue 22, DESIGN §13 "One pair lock"): the pair lock (integration_ops.lock_pair) is
-- taken before `enabled` is checked, so a run never starts on a pair being disabled.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.insert_run_log(org_id uuid, integration_type text, triggered_by text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_id uuid;
BEGIN
  PERFORM integration_ops.require_caller();
  IF insert_run_log.org_id IS NULL OR insert_run_log.integration_type IS NULL
     OR insert_run_log.triggered_by IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id, integration_type and triggered_by are required.');
  END IF;
  IF insert_run_log.triggered_by NOT IN ('scheduler', 'manual') THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'triggered_by must be scheduler or manual.');
  END IF;
  PERFORM integration_ops.require_org_access(insert_run_log.org_id, ARRAY['admin', 'coordinator'], false);
  PERFORM integration_ops.require_known_type(insert_run_log.integration_type);
  -- 0.3: the pair lock first (serialised with the dispatcher, the manual trigger and a
  -- disable), then `enabled`: a pair disabled meanwhile gets no run.
  PERFORM integration_ops.lock_pair(insert_run_log.org_id, insert_run_log.integration_type);
  PERFORM integration_ops.require_configured_integration(insert_run_log.org_id, insert_run_log.integration_type);
  -- The partial unique index on active runs is the final guard: a conflict inserts
  -- nothing (no raw 23505) and is reported as sync_already_in_progress.
  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, created_at,
     started_at, heartbeat_at)
  VALUES (insert_run_log.org_id, insert_run_log.integration_type, 'running',
          insert_run_log.triggered_by, integration_ops.jwt_sub(), integration_ops.clock(),
          integration_ops.clock(), integration_ops.clock())
  ON CONFLICT DO NOTHING
  RETURNING r.id INTO v_id;
  IF v_id IS NULL THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.insert_run_log(uuid,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.insert_run_log(uuid,text,text) TO service_role;
COMMENT ON FUNCTION integration_ops.insert_run_log(uuid,text,text) IS
  'Body of public.insert_run_log (SECURITY DEFINER, not exposed): the checks and the work. Call public.insert_run_log.';

CREATE OR REPLACE FUNCTION public.insert_run_log(org_id uuid, integration_type text, triggered_by text)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.insert_run_log(insert_run_log.org_id, insert_run_log.integration_type, insert_run_log.triggered_by);
END
$$;

REVOKE ALL ON FUNCTION public.insert_run_log(uuid,text,text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.insert_run_log(uuid,text,text) TO service_role;
COMMENT ON FUNCTION public.insert_run_log(uuid, text, text) IS
  'service_role: create a running run for a caller that performs the sync itself; returns its id. Takes the pair''s advisory lock, as the dispatcher and the manual trigger do. Keep it alive with update_run_log_status progress updates (the reaper fails running runs without a heartbeat for settings.stale_run_timeout).';

COMMIT;
