-- Verify integration-sync:function_trigger_health_history on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgname = 'integration_health_status_history'
   AND tgrelid = 'public.integration_health_status'::regclass
   AND tgfoid = 'integration_ops.trigger_health_history()'::regprocedure
   AND tgenabled <> 'D';
DO $$
DECLARE
  v_org uuid := gen_random_uuid();
  v_n integer;
BEGIN
  INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
  VALUES (v_org, 'xledger', 'healthy', now());
  UPDATE public.integration_health_status SET next_check_at = now() WHERE org_id = v_org;
  UPDATE public.integration_health_status SET status = status WHERE org_id = v_org;
  SELECT count(*) INTO v_n FROM public.integration_health_history WHERE org_id = v_org;
  ASSERT v_n = 2, format('expected 2 history rows, found %s', v_n);
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.trigger_health_history()', 'execute');
END
$$;
ROLLBACK;
