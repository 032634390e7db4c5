-- Deploy integration-sync:function_retry_sync_run to pg
-- requires: function_schedule_retry function_lock_pair table_sync_trigger_audit_actor function_require_org_access function_require_configured_integration function_wake_sync_delivery function_jwt_sub function_is_service_role function_is_global_admin function_jwt_org_id function_org_role function_error_excerpt
-- 0.3 (issue 22, DESIGN §13): public.retry_sync_run(run_id) → uuid. A next attempt of an
-- ended period: for a run that failed (its retries exhausted, or a final code) or was skipped
-- by the catch-up bound, and is the last attempt of its period. Same idempotency key and
-- scheduled_for, attempt + 1, retry_of = the run; triggered_by manual, by the caller.
-- Callers as trigger_integration_sync (org admins and coordinators of the run's org), plus
-- service_role. Checks: not_authenticated, invalid_argument, run_not_found (no such run, or
-- not one the caller may see), org_scope_violation / permission_denied (e.g. a global admin,
-- who may read but not start runs), integration_not_configured, invalid_transition (not
-- failed or skipped, or not the period's last attempt), sync_already_in_progress,
-- rate_limited (users; the manual-trigger window). Audited like a manual trigger (action
-- retry). A refused call writes nothing. The exposed RPC public.retry_sync_run is an
-- invoker; its body, the SECURITY DEFINER integration_ops.retry_sync_run, is not exposed.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.retry_sync_run(run_id uuid)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_service boolean := integration_ops.is_service_role();
  v_user uuid;
  v_run public.sync_run_log;
  v_rate interval;
  v_id uuid;
BEGIN
  -- 1. caller
  IF NOT v_service THEN
    v_user := integration_ops.jwt_sub();
    IF v_user IS NULL THEN
      PERFORM integration_ops.raise_error('not_authenticated',
        'Retrying a run needs a signed-in user: the request carries no valid sub claim.');
    END IF;
  END IF;
  -- 2. arguments
  IF retry_sync_run.run_id IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'run_id is required.');
  END IF;
  -- 3. the run, if the caller may see it (its org's admins and coordinators, global
  --    admins, service_role); any other caller is told it does not exist
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = retry_sync_run.run_id;
  IF NOT FOUND
     OR NOT (v_service OR integration_ops.is_global_admin()
             OR (integration_ops.jwt_org_id() = v_run.org_id
                 AND integration_ops.org_role(v_run.org_id) IN ('admin', 'coordinator'))) THEN
    PERFORM integration_ops.raise_error('run_not_found',
      format('No run with id %s.', integration_ops.error_excerpt(retry_sync_run.run_id::text)));
  END IF;
  -- 4. who may start runs of that org (a global admin may read, not start)
  PERFORM integration_ops.require_org_access(v_run.org_id, ARRAY['admin', 'coordinator'], false);
  -- 5. under the pair lock: configured and enabled, then the run's state
  PERFORM integration_ops.lock_pair(v_run.org_id, v_run.integration_type);
  PERFORM integration_ops.require_configured_integration(v_run.org_id, v_run.integration_type);
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = retry_sync_run.run_id FOR UPDATE;
  IF v_run.status NOT IN ('failed', 'skipped') THEN
    PERFORM integration_ops.raise_error('invalid_transition',
      format('Run %s is %s: only a failed or skipped run is retried.', v_run.id, v_run.status));
  END IF;
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.idempotency_key = coalesce(v_run.idempotency_key, v_run.id::text)
                AND r.attempt > v_run.attempt) THEN
    PERFORM integration_ops.raise_error('invalid_transition',
      format('Run %s is not the last attempt of its period: retry the latest one.', v_run.id));
  END IF;
  -- 6. an active run of the pair
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.org_id = v_run.org_id AND r.integration_type = v_run.integration_type
                AND r.status IN ('pending', 'running')) THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  -- 7. the manual-trigger rate limit, for users
  IF NOT v_service THEN
    v_rate := (integration_ops.settings_row()).manual_rate_limit;
    IF EXISTS (SELECT FROM public.sync_run_log AS r
                WHERE r.org_id = v_run.org_id AND r.integration_type = v_run.integration_type
                  AND r.triggered_by = 'manual'
                  AND r.created_at > integration_ops.clock() - v_rate) THEN
      PERFORM integration_ops.raise_error('rate_limited',
        format('A manual sync of this integration was started less than %s ago.', v_rate));
    END IF;
  END IF;

  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, scheduled_for,
     idempotency_key, attempt, retry_of, created_at, started_at)
  VALUES (v_run.org_id, v_run.integration_type, 'pending', 'manual', v_user, v_run.scheduled_for,
          coalesce(v_run.idempotency_key, v_run.id::text), v_run.attempt + 1, v_run.id,
          integration_ops.clock(), integration_ops.clock())
  ON CONFLICT DO NOTHING
  RETURNING r.id INTO v_id;
  IF v_id IS NULL THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  INSERT INTO integration_ops.sync_trigger_audit (run_id, user_id, org_id, integration_type, actor, action)
  VALUES (v_id, v_user, v_run.org_id, v_run.integration_type,
          CASE WHEN v_service THEN 'service_role' ELSE 'user' END, 'retry');
  PERFORM integration_ops.wake_sync_delivery(ARRAY[v_id]);
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.retry_sync_run(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.retry_sync_run(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.retry_sync_run(uuid) IS
  'Body of public.retry_sync_run (SECURITY DEFINER, not exposed): the checks and the work. Call public.retry_sync_run.';

CREATE OR REPLACE FUNCTION public.retry_sync_run(run_id uuid)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.retry_sync_run(retry_sync_run.run_id);
END
$$;

REVOKE ALL ON FUNCTION public.retry_sync_run(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.retry_sync_run(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION public.retry_sync_run(uuid) IS
  'Start the next attempt of an ended period: run_id is a failed or skipped run that is its period''s last attempt; the new pending run keeps its idempotency key and scheduled_for (attempt + 1). Org admins and coordinators of the run''s org, and service_role. Errors: not_authenticated, invalid_argument, run_not_found, org_scope_violation, permission_denied, integration_not_configured, invalid_transition, sync_already_in_progress, rate_limited. Audited; a refused call writes nothing.';

COMMIT;
