-- Deploy integration-sync:table_integration_health_status_identifier_checks to pg
-- requires: table_integration_health_status function_is_worker_id
-- Checks on public.integration_health_status.claimed_by.
-- 0.3 (issue 21, DESIGN §13): a worker id and an error code are shown to coordinators; 0.2
-- stored them raw (`host-1 password=hunter2`). The checks call the one rule of each
-- (integration_ops.is_worker_id, integration_ops.is_error_code) and are added NOT VALID: no
-- scan under the table lock, and rows written before 0.3 are not re-read; every new write,
-- INSERT or UPDATE, is checked. A check is tested on every write of a row, so an old row
-- holding a value the check refuses would make its next UPDATE fail (the reaper, a finish,
-- a claim): such values are cleared (set to NULL) first, their number raised as a NOTICE.
-- Reverting drops the checks; cleared values stay cleared.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- The clean-up reads the whole table once (ROW EXCLUSIVE: reads and writes go on).
SET LOCAL statement_timeout = '15min';

DO $$
DECLARE
  v_cleared integer;
BEGIN
  UPDATE public.integration_health_status
     SET claimed_by = NULL
   WHERE claimed_by IS NOT NULL AND NOT integration_ops.is_worker_id(claimed_by);
  GET DIAGNOSTICS v_cleared = ROW_COUNT;
  IF v_cleared > 0 THEN
    RAISE NOTICE '0.3 identifier checks: cleared % row(s) of integration_health_status holding a claimed_by the check refuses', v_cleared;
  END IF;
END
$$;

-- Re-runnable: the same check is added again right below.
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.integration_health_status DROP CONSTRAINT IF EXISTS integration_health_status_claimed_by_format;
ALTER TABLE public.integration_health_status
  ADD CONSTRAINT integration_health_status_claimed_by_format
  CHECK (claimed_by IS NULL OR integration_ops.is_worker_id(claimed_by)) NOT VALID;
COMMENT ON CONSTRAINT integration_health_status_claimed_by_format ON public.integration_health_status IS
  'claimed_by is NULL or a worker id (integration_ops.is_worker_id); NOT VALID: rows written before 0.3 are not re-read (DESIGN §13).';

COMMIT;
