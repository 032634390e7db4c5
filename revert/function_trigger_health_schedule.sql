-- Revert integration-sync:function_trigger_health_schedule from pg: restore the 0.2 definition
-- (created by trigger_organization_integrations_health_schedule), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_health_schedule()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_old_checkable boolean := false;
  v_new_checkable boolean := false;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    v_old_checkable := OLD.enabled AND OLD.health_mode = 'active';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    v_new_checkable := NEW.enabled AND NEW.health_mode = 'active';
  END IF;

  IF TG_OP = 'UPDATE'
     AND (OLD.org_id, OLD.integration_type) IS NOT DISTINCT FROM (NEW.org_id, NEW.integration_type)
  THEN
    IF v_old_checkable IS DISTINCT FROM v_new_checkable THEN
      PERFORM integration_ops.schedule_health_check(NEW.org_id, NEW.integration_type, v_new_checkable);
    END IF;
    RETURN NULL;
  END IF;

  -- INSERT, DELETE, or an UPDATE that moved the row to another pair: the old pair (if
  -- any) stops being checkable, the new pair (if any) starts.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM integration_ops.schedule_health_check(OLD.org_id, OLD.integration_type, false);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM integration_ops.schedule_health_check(NEW.org_id, NEW.integration_type, v_new_checkable);
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_health_schedule() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.trigger_health_schedule() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.trigger_health_schedule() IS
  'Trigger on organization_integrations (organization_integrations_health_schedule): keeps the health schedule in step with enabled / health_mode, so claim_health_checks reads only due status rows.';

COMMIT;
