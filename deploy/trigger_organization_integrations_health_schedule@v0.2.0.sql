-- Deploy integration-sync:trigger_organization_integrations_health_schedule to pg
-- requires: table_organization_integrations table_integration_health_status
-- The health schedule is kept where the configuration changes (issue 16), so a claim is
-- one range scan of integration_health_status_next_check_idx and never an anti-join
-- over every pair.
--
-- Invariant (kept by this trigger, record_health_check and claim_health_checks):
--   a pair that is checkable (organization_integrations row enabled, health_mode
--   'active') has a status row with next_check_at NOT NULL; every other status row has
--   next_check_at NULL. A never-checked checkable pair has a *bookkeeping row*
--   (status, checked_at NULL: it shows as status NULL and counts in no summary).
--
-- Transitions (AFTER INSERT, DELETE, UPDATE OF enabled, health_mode, org_id,
-- integration_type; other updates, e.g. the dispatcher's next_sync_at, do not fire it):
--   becomes checkable (insert; enabled again; mode switched to active)
--       -> bookkeeping row with next_check_at = now() (due at once), or, when a status
--          row exists without a scheduled check, next_check_at = now(); a scheduled
--          check is left as it is.
--   stops being checkable (disabled; mode passive or disabled; deleted; key changed)
--       -> a bookkeeping row is deleted (nothing was measured); a result row stays (a
--          real measurement, still listed by get_org_health_status) with next_check_at
--          NULL.
-- Concurrency: the status row is written under its row lock, after the configuration
-- row was changed in the same transaction, so a claim or a record that holds the status
-- row lock first is simply overwritten by the transition once it commits (both read the
-- configuration only after they hold that lock).
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
REVOKE ALL ON FUNCTION integration_ops.schedule_health_check(uuid, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.schedule_health_check(uuid, text, boolean) IS
  'Health schedule of one pair: checkable -> a status row with next_check_at set (a bookkeeping row due now() when none exists); not checkable -> bookkeeping row deleted, next_check_at of a result row NULL. Called by the organization_integrations_health_schedule trigger.';

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
COMMENT ON FUNCTION integration_ops.trigger_health_schedule() IS
  'Trigger on organization_integrations (organization_integrations_health_schedule): keeps the health schedule in step with enabled / health_mode, so claim_health_checks reads only due status rows.';

-- The trigger first: it takes SHARE ROW EXCLUSIVE on organization_integrations until
-- COMMIT, so no configuration change slips between the backfill below and the trigger.
DROP TRIGGER IF EXISTS organization_integrations_health_schedule ON public.organization_integrations;
CREATE TRIGGER organization_integrations_health_schedule
  AFTER INSERT OR DELETE OR UPDATE OF enabled, health_mode, org_id, integration_type
  ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.trigger_health_schedule();

-- Backfill (idempotent): establish the invariant for the rows that exist. Release 0.1
-- created a status row only at a pair's first claim; it left next_check_at of pairs
-- that stopped being checkable until their next result.
INSERT INTO public.integration_health_status AS hs (org_id, integration_type, next_check_at)
SELECT oi.org_id, oi.integration_type, now()
  FROM public.organization_integrations AS oi
 WHERE oi.enabled AND oi.health_mode = 'active'
ON CONFLICT ON CONSTRAINT integration_health_status_pair_key DO UPDATE
   SET next_check_at = now()
 WHERE hs.next_check_at IS NULL;

DELETE FROM public.integration_health_status AS hs
 WHERE hs.status IS NULL
   AND NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                    WHERE oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
                      AND oi.enabled AND oi.health_mode = 'active');

UPDATE public.integration_health_status AS hs
   SET next_check_at = NULL
 WHERE hs.next_check_at IS NOT NULL
   AND NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                    WHERE oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
                      AND oi.enabled AND oi.health_mode = 'active');

COMMENT ON TRIGGER organization_integrations_health_schedule ON public.organization_integrations IS
  'Keeps the health schedule: a checkable pair (enabled, health_mode active) has a status row with next_check_at; others have none scheduled (integration_ops.trigger_health_schedule).';

COMMENT ON TABLE public.integration_health_status IS
  'Current health of each (org, integration) pair: one row per pair. A checkable pair (enabled, health_mode active) always has one (a bookkeeping row, status NULL, until its first result; kept by the organization_integrations_health_schedule trigger). Results are written by integration_ops.record_health_check and copied to integration_health_history by a trigger; claim_health_checks leases next_check_at. Readable by the org''s admins and by global admins; written only by service_role and the package''s functions.';
COMMENT ON COLUMN public.integration_health_status.status IS 'healthy, degraded or unreachable; NULL until the first result (a bookkeeping row: shown as never checked, counted in no summary).';
COMMENT ON COLUMN public.integration_health_status.next_check_at IS 'When the pair is next due for an active check; set exactly for checkable pairs (enabled, health_mode active): now() when it becomes checkable, from the interval and the backoff by record_health_check, pushed forward (a lease) by claim_health_checks. NULL otherwise.';

COMMIT;
