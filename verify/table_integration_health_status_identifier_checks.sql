-- Verify integration-sync:table_integration_health_status_identifier_checks on pg
-- Raises whatever the settings: SELECT 1/(condition)::int, and RAISE in DO blocks.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.integration_health_status'::regclass AND conname = 'integration_health_status_claimed_by_format' AND contype = 'c'
   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%integration_ops.is_worker_id(claimed_by)%';
-- a bad claimed_by is refused, by this check
DO $$
DECLARE
  v_constraint text;
BEGIN
  INSERT INTO public.integration_health_status (org_id, integration_type, claimed_by)
    VALUES ('00000000-0000-0000-0000-000000000000', 'xledger', 'host-1 password=hunter2');
  RAISE EXCEPTION 'public.integration_health_status accepted a bad claimed_by';
EXCEPTION WHEN check_violation THEN
  GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
  IF v_constraint IS DISTINCT FROM 'integration_health_status_claimed_by_format' THEN
    RAISE EXCEPTION 'a bad claimed_by was refused by %, not by integration_health_status_claimed_by_format', v_constraint;
  END IF;
END
$$;
ROLLBACK;
