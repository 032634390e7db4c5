-- Deploy integration-sync:function_trigger_health_history to pg
-- requires: function_trigger_health_history@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: the cap is read through integration_ops.settings_row() (no silent default of 96
-- when the settings row is missing: the write fails loudly instead).
-- History trigger on integration_health_status (DESIGN §7).
--
-- Rule (what counts as "a result is written"):
--   * INSERT of a row with a status (a result), or
--   * UPDATE whose SET list names status, latency_ms, checked_at or error_message —
--     even when the new value equals the old one (the trigger is declared
--     UPDATE OF those columns, and Postgres fires it when a column is a target of SET,
--     not only when its value changes) — on a row that has a status.
--   Not a result: an UPDATE that sets only next_check_at / consecutive_failures /
--   claimed_by / claimed_at (scheduling bookkeeping, e.g. claim_health_checks), and
--   the claim's INSERT of a never-checked pair (status NULL). No history is written then.
--   (A BEFORE trigger that changes a result column does not make an UPDATE a result
--   write: UPDATE OF looks at the statement's SET list only.)
--
-- In the same statement the pair is pruned to the newest settings.history_cap rows by
-- (checked_at, id), ties broken by id: one index scan of at most cap + 1 entries of
-- integration_health_history_pair_idx finds the newest row beyond the cap; only when it
-- exists (more than cap rows) are that row and the older ones deleted.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_health_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION integration_ops.trigger_health_history() IS
  'Trigger on integration_health_status: copy a written result into integration_health_history and prune the pair to the newest settings.history_cap rows by (checked_at, id). Fires on INSERT of a result and on UPDATE OF status, latency_ms, checked_at, error_message (even to the same values); not on bookkeeping-only updates (next_check_at, consecutive_failures).';

COMMIT;
