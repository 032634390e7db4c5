-- Deploy integration-sync:table_sync_run_log_identifier_checks to pg
-- requires: table_sync_run_log function_is_worker_id function_is_error_code
-- Checks on public.sync_run_log.worker_id and public.sync_run_log.error_code.
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
  UPDATE public.sync_run_log
     SET worker_id = CASE WHEN integration_ops.is_worker_id(worker_id) THEN worker_id END,
         error_code = CASE WHEN integration_ops.is_error_code(error_code) THEN error_code END
   WHERE (worker_id IS NOT NULL AND NOT integration_ops.is_worker_id(worker_id))
      OR (error_code IS NOT NULL AND NOT integration_ops.is_error_code(error_code));
  GET DIAGNOSTICS v_cleared = ROW_COUNT;
  IF v_cleared > 0 THEN
    RAISE NOTICE '0.3 identifier checks: cleared % row(s) of sync_run_log holding a worker_id or error_code the check refuses', v_cleared;
  END IF;
END
$$;

-- Re-runnable: the same check is added again right below.
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_worker_id_format;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_worker_id_format
  CHECK (worker_id IS NULL OR integration_ops.is_worker_id(worker_id)) NOT VALID;
COMMENT ON CONSTRAINT sync_run_log_worker_id_format ON public.sync_run_log IS
  'worker_id is NULL or a worker id (integration_ops.is_worker_id); NOT VALID: rows written before 0.3 are not re-read (DESIGN §13).';

-- Re-runnable: the same check is added again right below.
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_error_code_format;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_error_code_format
  CHECK (error_code IS NULL OR integration_ops.is_error_code(error_code)) NOT VALID;
COMMENT ON CONSTRAINT sync_run_log_error_code_format ON public.sync_run_log IS
  'error_code is NULL or an error code (integration_ops.is_error_code); NOT VALID: rows written before 0.3 are not re-read (DESIGN §13).';

COMMIT;
