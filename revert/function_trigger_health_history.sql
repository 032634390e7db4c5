-- Revert integration-sync:function_trigger_health_history from pg: restore the 0.2 definition
-- (created by function_trigger_health_history), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_health_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_cap integer;
  v_cut_checked_at timestamptz;
  v_cut_id bigint;
BEGIN
  IF NEW.status IS NULL THEN
    RETURN NULL;  -- bookkeeping only (the WHEN clause already filters this)
  END IF;

  INSERT INTO public.integration_health_history
    (org_id, integration_type, status, latency_ms, checked_at, error_message)
  VALUES
    (NEW.org_id, NEW.integration_type, NEW.status, NEW.latency_ms, NEW.checked_at, NEW.error_message);

  v_cap := (integration_ops.settings_row()).history_cap;

  -- The newest row beyond the cap, if any (bounded: cap + 1 index entries).
  SELECT h.checked_at, h.id
    INTO v_cut_checked_at, v_cut_id
    FROM public.integration_health_history AS h
   WHERE h.org_id = NEW.org_id
     AND h.integration_type = NEW.integration_type
   ORDER BY h.checked_at DESC, h.id DESC
  OFFSET v_cap
   LIMIT 1;

  IF FOUND THEN
    DELETE FROM public.integration_health_history AS h
     WHERE h.org_id = NEW.org_id
       AND h.integration_type = NEW.integration_type
       AND (h.checked_at, h.id) <= (v_cut_checked_at, v_cut_id);
  END IF;

  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_health_history() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.trigger_health_history() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.trigger_health_history() IS
  'Trigger on integration_health_status: copy a written result into integration_health_history and prune the pair to the newest settings.history_cap rows by (checked_at, id). Fires on INSERT of a result and on UPDATE OF status, latency_ms, checked_at, error_message (even to the same values); not on bookkeeping-only updates (next_check_at, consecutive_failures).';

COMMIT;
