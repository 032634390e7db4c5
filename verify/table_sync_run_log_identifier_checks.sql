-- Verify integration-sync:table_sync_run_log_identifier_checks on pg
-- Raises whatever the settings: SELECT 1/(condition)::int, and RAISE in DO blocks.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_worker_id_format' AND contype = 'c'
   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%integration_ops.is_worker_id(worker_id)%';
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_error_code_format' AND contype = 'c'
   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%integration_ops.is_error_code(error_code)%';
-- a bad worker_id is refused, by this check
DO $$
DECLARE
  v_constraint text;
BEGIN
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, ended_at, worker_id)
    VALUES ('00000000-0000-0000-0000-000000000000', 'xledger', 'cancelled', 'manual', pg_catalog.now(), 'host-1 password=hunter2');
  RAISE EXCEPTION 'public.sync_run_log accepted a bad worker_id';
EXCEPTION WHEN check_violation THEN
  GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
  IF v_constraint IS DISTINCT FROM 'sync_run_log_worker_id_format' THEN
    RAISE EXCEPTION 'a bad worker_id was refused by %, not by sync_run_log_worker_id_format', v_constraint;
  END IF;
END
$$;
-- a bad error_code is refused, by this check
DO $$
DECLARE
  v_constraint text;
BEGIN
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, ended_at, error_code)
    VALUES ('00000000-0000-0000-0000-000000000000', 'xledger', 'cancelled', 'manual', pg_catalog.now(), 'host-1 password=hunter2');
  RAISE EXCEPTION 'public.sync_run_log accepted a bad error_code';
EXCEPTION WHEN check_violation THEN
  GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
  IF v_constraint IS DISTINCT FROM 'sync_run_log_error_code_format' THEN
    RAISE EXCEPTION 'a bad error_code was refused by %, not by sync_run_log_error_code_format', v_constraint;
  END IF;
END
$$;
ROLLBACK;
