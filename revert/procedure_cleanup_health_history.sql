-- Revert integration-sync:procedure_cleanup_health_history from pg (back to the 0.1 definition)
-- Retention of health history (DESIGN §8): delete rows older than
-- settings.history_retention in batches of at most 1000 rows per statement with a
-- COMMIT after each batch, so no lock is held longer than one batch; then trim
-- cron.job_run_details of this package's jobs (jobname LIKE 'integration_%') older than
-- settings.job_run_details_retention, the same way.
--
-- A procedure that commits cannot run with definer rights or carry SET: it runs with the
-- rights of its caller — the pg_cron job's owner (postgres) — qualifies every name, and
-- no API role may execute it. CALL it outside an explicit transaction block.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE PROCEDURE integration_ops.cleanup_health_history()
LANGUAGE plpgsql
AS $$
DECLARE
  c_batch CONSTANT integer := 1000;
  v_cutoff timestamptz;
  v_cron_cutoff timestamptz;
  v_deleted integer;
BEGIN
  SELECT pg_catalog.now() OPERATOR(pg_catalog.-) s.history_retention,
         pg_catalog.now() OPERATOR(pg_catalog.-) s.job_run_details_retention
    INTO v_cutoff, v_cron_cutoff
    FROM integration_ops.settings AS s;
  IF v_cutoff IS NULL THEN
    RAISE EXCEPTION 'integration_ops.cleanup_health_history: integration_ops.settings has no row';
  END IF;

  LOOP
    DELETE FROM public.integration_health_history AS h
     WHERE h.id OPERATOR(pg_catalog.=) ANY (ARRAY(
             SELECT o.id
               FROM public.integration_health_history AS o
              WHERE o.checked_at OPERATOR(pg_catalog.<) v_cutoff
              LIMIT c_batch));
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    COMMIT;
    EXIT WHEN v_deleted OPERATOR(pg_catalog.<) c_batch;
  END LOOP;

  -- pg_cron's run log: only where pg_cron is installed (dynamic SQL, so the procedure
  -- compiles and runs without the cron schema).
  IF pg_catalog.to_regclass('cron.job_run_details') IS NOT NULL
     AND pg_catalog.to_regclass('cron.job') IS NOT NULL THEN
    LOOP
      EXECUTE $sql$
        DELETE FROM cron.job_run_details AS d
         WHERE d.runid OPERATOR(pg_catalog.=) ANY (ARRAY(
                 SELECT r.runid
                   FROM cron.job_run_details AS r
                   JOIN cron.job AS j ON j.jobid OPERATOR(pg_catalog.=) r.jobid
                  WHERE j.jobname OPERATOR(pg_catalog.~~) 'integration\_%'
                    AND coalesce(r.end_time, r.start_time) OPERATOR(pg_catalog.<) $1
                  LIMIT $2))
      $sql$ USING v_cron_cutoff, c_batch;
      GET DIAGNOSTICS v_deleted = ROW_COUNT;
      COMMIT;
      EXIT WHEN v_deleted OPERATOR(pg_catalog.<) c_batch;
    END LOOP;
  END IF;
END
$$;

REVOKE ALL ON PROCEDURE integration_ops.cleanup_health_history() FROM PUBLIC;
COMMENT ON PROCEDURE integration_ops.cleanup_health_history() IS
  'Retention (pg_cron, hourly): delete integration_health_history rows older than settings.history_retention, at most 1000 rows per statement with a COMMIT after each batch; then trim cron.job_run_details of integration_% jobs older than settings.job_run_details_retention likewise. Runs as its caller (the cron job owner); no API role may execute it.';

COMMIT;
