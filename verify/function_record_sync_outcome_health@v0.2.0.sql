-- Verify integration-sync:function_record_sync_outcome_health on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker',
  'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated',
  'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon',
  'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute'))::int;
DO $$
DECLARE
  v_org uuid := gen_random_uuid();
BEGIN
  INSERT INTO public.organization_integrations (org_id, integration_type, health_mode)
  VALUES (v_org, 'bufdir', 'passive');
  PERFORM integration_ops.record_sync_outcome_health(v_org, 'bufdir', false, 'boom');
  IF (SELECT hs.status FROM public.integration_health_status AS hs WHERE hs.org_id = v_org)
     IS DISTINCT FROM 'degraded' THEN
    RAISE EXCEPTION 'a failed sync of a passive pair did not mark it degraded';
  END IF;
END
$$;
ROLLBACK;
