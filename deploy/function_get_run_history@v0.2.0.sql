-- Deploy integration-sync:function_get_run_history to pg
-- requires: table_sync_run_log function_authorize function_require_integration
-- DESIGN §5: a pair's runs, newest first by started_at, at most row_limit (1..500).
BEGIN;

CREATE OR REPLACE FUNCTION public.get_run_history(org_id uuid, integration_type text, row_limit integer DEFAULT 20)
RETURNS SETOF public.sync_run_log
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF get_run_history.org_id IS NULL OR get_run_history.integration_type IS NULL
     OR get_run_history.row_limit IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id, integration_type and row_limit are required.');
  END IF;
  IF get_run_history.row_limit NOT BETWEEN 1 AND 500 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'row_limit must be between 1 and 500.');
  END IF;
  PERFORM integration_ops.require_org_access(get_run_history.org_id, ARRAY['admin', 'coordinator'], true);
  PERFORM integration_ops.require_known_type(get_run_history.integration_type);

  RETURN QUERY
  SELECT r.*
    FROM public.sync_run_log AS r
   WHERE r.org_id = get_run_history.org_id
     AND r.integration_type = get_run_history.integration_type
   ORDER BY r.started_at DESC, r.id DESC
   LIMIT get_run_history.row_limit;
END
$$;

REVOKE ALL ON FUNCTION public.get_run_history(uuid, text, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_run_history(uuid, text, integer) TO authenticated, service_role;
COMMENT ON FUNCTION public.get_run_history(uuid, text, integer) IS
  'Runs of one (org, integration type), newest first by started_at, at most row_limit (1..500, default 20). Org admins and coordinators of org_id, global admins, service_role. Archived runs are not included.';

COMMIT;
