-- Deploy integration-sync:function_trigger_integration_sync to pg
-- requires: function_trigger_integration_sync@v0.2.0 function_lock_pair table_sync_trigger_audit_actor function_wake_sync_delivery function_require_org_access function_require_configured_integration function_require_known_type function_is_service_role function_jwt_sub
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.trigger_integration_sync is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.trigger_integration_sync in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- 0.2: the rate limit reads the engine's clock and fails loudly without the settings row.
-- DESIGN §5 / issue 7: a manual run through the same engine as scheduled runs.
-- 0.3 (issue 23, DESIGN §13): service_role may trigger (a backend or a database trigger):
-- triggered_by manual, no user, audited with actor service_role, not rate-limited.
-- 0.3 (issue 22): the pair lock before `enabled` is read (a run never starts on a pair being
-- disabled); the run's idempotency key is its id (the header 0.2 sent), shared by its retries.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_integration_sync(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_service boolean := integration_ops.is_service_role();
  v_user uuid;
  v_rate interval;
  v_id uuid := gen_random_uuid();
BEGIN
  -- 1. caller: a signed-in user (the run is attributed to auth.uid(), never a parameter),
  --    or the database role service_role (0.3: a backend or a database trigger)
  IF NOT v_service THEN
    v_user := integration_ops.jwt_sub();
    IF v_user IS NULL THEN
      PERFORM integration_ops.raise_error('not_authenticated',
        'Triggering a sync needs a signed-in user: the request carries no valid sub claim.');
    END IF;
  END IF;
  -- 2. arguments
  IF trigger_integration_sync.org_id IS NULL OR trigger_integration_sync.integration_type IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'org_id and integration_type are required.');
  END IF;
  -- 3./4. JWT org_id must be the argument; membership role admin or coordinator
  --       (service_role passes)
  PERFORM integration_ops.require_org_access(trigger_integration_sync.org_id,
    ARRAY['admin', 'coordinator'], false);
  -- 5. allowlist
  PERFORM integration_ops.require_known_type(trigger_integration_sync.integration_type);

  -- The pair lock (0.3: before `enabled` is read): serialised with the dispatcher, other
  -- triggers, retries and a disable of the pair; the checks below see committed state.
  PERFORM integration_ops.lock_pair(trigger_integration_sync.org_id, trigger_integration_sync.integration_type);

  -- 6. configured and enabled
  PERFORM integration_ops.require_configured_integration(trigger_integration_sync.org_id, trigger_integration_sync.integration_type);
  -- 7. an active run (a retry waiting for its backoff is one)
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.org_id = trigger_integration_sync.org_id
                AND r.integration_type = trigger_integration_sync.integration_type
                AND r.status IN ('pending', 'running')) THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  -- 8. rate limit of users, from server-side timestamps of earlier manual runs of the pair
  --    (service_role, a trusted backend, is not rate-limited; the in-progress check holds)
  IF NOT v_service THEN
    v_rate := (integration_ops.settings_row()).manual_rate_limit;
    IF EXISTS (SELECT FROM public.sync_run_log AS r
                WHERE r.org_id = trigger_integration_sync.org_id
                  AND r.integration_type = trigger_integration_sync.integration_type
                  AND r.triggered_by = 'manual'
                  AND r.created_at > integration_ops.clock() - v_rate) THEN
      PERFORM integration_ops.raise_error('rate_limited',
        format('A manual sync of this integration was started less than %s ago.', v_rate));
    END IF;
  END IF;

  -- The engine's insert path; a conflict on the one-active-run index yields no id
  -- (never a raw 23505) and is reported as sync_already_in_progress. 0.3: a manual run's
  -- idempotency key is its own id (the Idempotency-Key header 0.2 sent), so its retries
  -- share it.
  INSERT INTO public.sync_run_log AS r
    (id, org_id, integration_type, status, triggered_by, triggered_by_user_id, idempotency_key,
     created_at, started_at)
  VALUES (v_id, trigger_integration_sync.org_id, trigger_integration_sync.integration_type,
          'pending', 'manual', v_user, v_id::text, integration_ops.clock(), integration_ops.clock())
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;

  INSERT INTO integration_ops.sync_trigger_audit (run_id, user_id, org_id, integration_type, actor, action)
  VALUES (v_id, v_user, trigger_integration_sync.org_id, trigger_integration_sync.integration_type,
          CASE WHEN v_service THEN 'service_role' ELSE 'user' END, 'trigger');

  PERFORM integration_ops.wake_sync_delivery(ARRAY[v_id]);
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) IS
  'Body of public.trigger_integration_sync (SECURITY DEFINER, not exposed): the checks and the work. Call public.trigger_integration_sync.';

CREATE OR REPLACE FUNCTION public.trigger_integration_sync(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.trigger_integration_sync(trigger_integration_sync.org_id, trigger_integration_sync.integration_type);
END
$$;

REVOKE ALL ON FUNCTION public.trigger_integration_sync(uuid,text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.trigger_integration_sync(uuid,text) TO authenticated, service_role;
COMMENT ON FUNCTION public.trigger_integration_sync(uuid, text) IS
  'Start a manual sync of (org_id, integration_type) for the signed-in org admin or coordinator, or for service_role (a backend or a database trigger: triggered_by manual, no user, audited as service_role, not rate-limited); returns the pending run''s id at once. Checks in DESIGN §6 order (not_authenticated, invalid_argument, org_scope_violation, permission_denied, unknown_integration_type, integration_not_configured, sync_already_in_progress, rate_limited per settings.manual_rate_limit), then a pending run under the pair lock, an audit row, and the shared wake-up. A refused call writes nothing.';

COMMIT;
