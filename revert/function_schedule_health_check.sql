-- Revert integration-sync:function_schedule_health_check from pg: restore the 0.2 definition
-- (created by trigger_organization_integrations_health_schedule), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.schedule_health_check(
  org_id uuid,
  integration_type text,
  checkable boolean
)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF schedule_health_check.checkable THEN
    INSERT INTO public.integration_health_status AS hs (org_id, integration_type, next_check_at)
    VALUES (schedule_health_check.org_id, schedule_health_check.integration_type, now())
    ON CONFLICT ON CONSTRAINT integration_health_status_pair_key DO UPDATE
       SET next_check_at = now()
     WHERE hs.next_check_at IS NULL;
  ELSE
    DELETE FROM public.integration_health_status AS hs
     WHERE hs.org_id = schedule_health_check.org_id
       AND hs.integration_type = schedule_health_check.integration_type
       AND hs.status IS NULL;
    UPDATE public.integration_health_status AS hs
       SET next_check_at = NULL
     WHERE hs.org_id = schedule_health_check.org_id
       AND hs.integration_type = schedule_health_check.integration_type
       AND hs.next_check_at IS NOT NULL;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.schedule_health_check(uuid,text,boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.schedule_health_check(uuid,text,boolean) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.schedule_health_check(uuid, text, boolean) IS
  'Health schedule of one pair: checkable -> a status row with next_check_at set (a bookkeeping row due now() when none exists); not checkable -> bookkeeping row deleted, next_check_at of a result row NULL. Called by the organization_integrations_health_schedule trigger.';

COMMIT;
