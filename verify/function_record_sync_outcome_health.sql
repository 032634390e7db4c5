-- Verify integration-sync:function_record_sync_outcome_health on pg
BEGIN;
DO $$
DECLARE
  v_org uuid := gen_random_uuid();
BEGIN
  INSERT INTO public.organization_integrations (org_id, integration_type, health_mode)
  VALUES (v_org, 'bufdir', 'passive');
  PERFORM integration_ops.record_sync_outcome_health(v_org, 'bufdir', false, 'boom');
  ASSERT (SELECT hs.status FROM public.integration_health_status AS hs WHERE hs.org_id = v_org) = 'degraded';
  ASSERT pg_catalog.has_function_privilege('integration_worker',
    'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated',
    'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon',
    'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute');
END
$$;
ROLLBACK;
