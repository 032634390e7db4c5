-- Deploy integration-sync:function_insert_run_log to pg
-- requires: table_sync_run_log function_authorize table_organization_integrations function_require_integration
-- DESIGN §5: create a `running` run for a caller that runs the sync itself (service_role).
BEGIN;

CREATE OR REPLACE FUNCTION public.insert_run_log(org_id uuid, integration_type text, triggered_by text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
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
  PERFORM integration_ops.require_configured_integration(insert_run_log.org_id, insert_run_log.integration_type);

  -- The partial unique index on active runs is the final guard: a conflict inserts
  -- nothing (no raw 23505) and is reported as sync_already_in_progress.
  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, started_at, heartbeat_at)
  VALUES (insert_run_log.org_id, insert_run_log.integration_type, 'running',
          insert_run_log.triggered_by, integration_ops.jwt_sub(), now(), now())
  ON CONFLICT DO NOTHING
  RETURNING r.id INTO v_id;
  IF v_id IS NULL THEN
    PERFORM integration_ops.raise_error('sync_already_in_progress',
      'A pending or running run exists for this integration.');
  END IF;
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION public.insert_run_log(uuid, text, text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.insert_run_log(uuid, text, text) TO service_role;
COMMENT ON FUNCTION public.insert_run_log(uuid, text, text) IS
  'service_role: create a running run for a caller that performs the sync itself; returns its id. Keep it alive with update_run_log_status progress updates (the reaper fails running runs without a heartbeat for settings.stale_run_timeout).';

COMMIT;
