-- Deploy integration-sync:function_trigger_integration_sync to pg
-- requires: table_sync_trigger_audit function_enqueue_sync_runs function_wake_sync_delivery function_authorize table_settings function_require_integration
-- DESIGN §5 / issue 7: a manual run through the same engine as scheduled runs.
BEGIN;

CREATE OR REPLACE FUNCTION public.trigger_integration_sync(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_user uuid;
  v_rate interval;
  v_id uuid;
BEGIN
  -- 1. caller: a signed-in user (the run is attributed to auth.uid(), never a parameter)
  v_user := integration_ops.jwt_sub();
  IF v_user IS NULL THEN
    PERFORM integration_ops.raise_error('not_authenticated',
      'Triggering a sync needs a signed-in user: the request carries no valid sub claim.');
  END IF;
  -- 2. arguments
  IF trigger_integration_sync.org_id IS NULL OR trigger_integration_sync.integration_type IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'org_id and integration_type are required.');
  END IF;
  -- 3./4. JWT org_id must be the argument; membership role admin or coordinator
  PERFORM integration_ops.require_org_access(trigger_integration_sync.org_id,
    ARRAY['admin', 'coordinator'], false);
  -- 5. allowlist
  PERFORM integration_ops.require_known_type(trigger_integration_sync.integration_type);
  -- 6. configured and enabled
  PERFORM integration_ops.require_configured_integration(trigger_integration_sync.org_id, trigger_integration_sync.integration_type);

  -- Serialise with the dispatcher and other triggers of the same pair (the dispatcher
  -- skips a pair whose lock is taken); the checks below then see committed runs.
  PERFORM pg_advisory_xact_lock(integration_ops.sync_pair_lock_key(
    trigger_integration_sync.org_id, trigger_integration_sync.integration_type));

  -- 7. an active run
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.org_id = trigger_integration_sync.org_id
                AND r.integration_type = trigger_integration_sync.integration_type
                AND r.status IN ('pending', 'running')) THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  -- 8. rate limit, from server-side timestamps of earlier manual runs of the pair
  SELECT s.manual_rate_limit INTO v_rate FROM integration_ops.settings AS s;
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.org_id = trigger_integration_sync.org_id
                AND r.integration_type = trigger_integration_sync.integration_type
                AND r.triggered_by = 'manual'
                AND r.created_at > now() - v_rate) THEN
    PERFORM integration_ops.raise_error('rate_limited',
      format('A manual sync of this integration was started less than %s ago.', v_rate));
  END IF;

  -- The engine's insert path; a conflict on the one-active-run index yields no id
  -- (never a raw 23505) and is reported as sync_already_in_progress.
  SELECT e.id INTO v_id
    FROM integration_ops.enqueue_sync_runs(
           ARRAY[trigger_integration_sync.org_id], ARRAY[trigger_integration_sync.integration_type],
           'manual', v_user, ARRAY[NULL::timestamptz], ARRAY[NULL::text]) AS e(id);
  IF v_id IS NULL THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;

  INSERT INTO integration_ops.sync_trigger_audit (run_id, user_id, org_id, integration_type)
  VALUES (v_id, v_user, trigger_integration_sync.org_id, trigger_integration_sync.integration_type);

  PERFORM integration_ops.wake_sync_delivery(ARRAY[v_id]);
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION public.trigger_integration_sync(uuid, text) FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.trigger_integration_sync(uuid, text) TO authenticated;
COMMENT ON FUNCTION public.trigger_integration_sync(uuid, text) IS
  'Start a manual sync of (org_id, integration_type) for the signed-in org admin or coordinator; returns the pending run''s id at once. Checks in DESIGN §6 order (not_authenticated, invalid_argument, org_scope_violation, permission_denied, unknown_integration_type, integration_not_configured, sync_already_in_progress, rate_limited per settings.manual_rate_limit), then the engine''s insert path, an audit row, and the shared wake-up. A refused call writes nothing.';

COMMIT;
