-- Verify integration-sync:function_trigger_health_history on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgname = 'integration_health_status_history'
   AND tgrelid = 'public.integration_health_status'::regclass
   AND tgfoid = 'integration_ops.trigger_health_history()'::regprocedure
   AND tgenabled <> 'D';
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.trigger_health_history()'::regprocedure)
          LIKE '%integration_ops.settings_row()%')::int;
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
  IF (v_n = 2) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_health_history.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.trigger_health_history()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_health_history.sql';
  END IF;
END
$$;
ROLLBACK;
