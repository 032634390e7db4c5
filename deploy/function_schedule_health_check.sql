-- Deploy integration-sync:function_schedule_health_check to pg
-- requires: trigger_organization_integrations_health_schedule
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_health_schedule. Reverting restores that definition.
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
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION integration_ops.schedule_health_check(uuid, text, boolean) IS
  'Health schedule of one pair: checkable -> a status row with next_check_at set (a bookkeeping row due now() when none exists); not checkable -> bookkeeping row deleted, next_check_at of a result row NULL. Called by the organization_integrations_health_schedule trigger.';

COMMIT;
