-- Deploy integration-sync:function_start_manual_sync to pg
-- requires: function_lock_pair table_sync_trigger_audit_actor function_wake_sync_delivery function_require_org_access function_require_configured_integration function_require_known_type function_jwt_sub function_settings_row function_clock function_raise_error
-- 0.3 (issues 22, 23, DESIGN §5, §13): a manual run through the same engine as scheduled
-- runs, for its two entry points: integration_ops.trigger_integration_sync (a signed-in
-- user, or service_role set as the request's role by PostgREST) and
-- integration_ops.trigger_integration_sync_as_service_role (the database role service_role
-- in effect: a backend's SET ROLE, or a database trigger's function owned by service_role).
-- Checks in DESIGN §6 order; service_role passes the org checks and is not rate-limited; the
-- pair lock before `enabled` is read; the run's idempotency key is its id. Owner only: no
-- API role may execute it (as_service_role is the caller's word, so only the two entry
-- points, which establish it, call it).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.start_manual_sync(org_id uuid, integration_type text, as_service_role boolean)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_service boolean := coalesce(start_manual_sync.as_service_role, false);
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
  IF start_manual_sync.org_id IS NULL OR start_manual_sync.integration_type IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'org_id and integration_type are required.');
  END IF;
  -- 3./4. JWT org_id must be the argument; membership role admin or coordinator
  --       (service_role passes)
  IF NOT v_service THEN
    PERFORM integration_ops.require_org_access(start_manual_sync.org_id,
      ARRAY['admin', 'coordinator'], false);
  END IF;
  -- 5. allowlist
  PERFORM integration_ops.require_known_type(start_manual_sync.integration_type);

  -- The pair lock (0.3: before `enabled` is read): serialised with the dispatcher, other
  -- triggers, retries and a disable of the pair; the checks below see committed state.
  PERFORM integration_ops.lock_pair(start_manual_sync.org_id, start_manual_sync.integration_type);

  -- 6. configured and enabled
  PERFORM integration_ops.require_configured_integration(start_manual_sync.org_id, start_manual_sync.integration_type);
  -- 7. an active run (a retry waiting for its backoff is one)
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.org_id = start_manual_sync.org_id
                AND r.integration_type = start_manual_sync.integration_type
                AND r.status IN ('pending', 'running')) THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  -- 8. rate limit of users, from server-side timestamps of earlier manual runs of the pair
  --    (service_role, a trusted backend, is not rate-limited; the in-progress check holds)
  IF NOT v_service THEN
    v_rate := (integration_ops.settings_row()).manual_rate_limit;
    IF EXISTS (SELECT FROM public.sync_run_log AS r
                WHERE r.org_id = start_manual_sync.org_id
                  AND r.integration_type = start_manual_sync.integration_type
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
  VALUES (v_id, start_manual_sync.org_id, start_manual_sync.integration_type,
          'pending', 'manual', v_user, v_id::text, integration_ops.clock(), integration_ops.clock())
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;

  INSERT INTO integration_ops.sync_trigger_audit (run_id, user_id, org_id, integration_type, actor, action)
  VALUES (v_id, v_user, start_manual_sync.org_id, start_manual_sync.integration_type,
          CASE WHEN v_service THEN 'service_role' ELSE 'user' END, 'trigger');

  PERFORM integration_ops.wake_sync_delivery(ARRAY[v_id]);
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.start_manual_sync(uuid, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.start_manual_sync(uuid, text, boolean) IS
  'The work of public.trigger_integration_sync behind its two entry points (owner only): the DESIGN §6 checks (service_role passes the org checks and the rate limit), a pending manual run under the pair lock, its audit row, the wake-up.';

COMMIT;
