-- Deploy integration-sync:cron_job_pg_net_health_checks to pg
-- requires: function_send_pg_net_health_checks
-- requires: function_record_pg_net_health_checks
-- 0.3 (issue 23): active health checks of pg_net pairs, run by Postgres. Each run first
-- records the answers that arrived (record_pg_net_health_checks), then sends second probes
-- and the due checks (send_pg_net_health_checks, at most 50 probes a run). pg_cron 1.5+
-- (Supabase) takes second schedules: every 10 s (up to 300 probes a minute); older pg_cron
-- every minute (50 a minute, i.e. 750 pairs at the 15-minute minimum interval). Without
-- pg_net both functions return 0 at once; without a pg_net pair the sender reads one index
-- page.
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
  v_version text := (SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron');
  v_command text := 'SELECT integration_ops.record_pg_net_health_checks(); '
                    'SELECT integration_ops.send_pg_net_health_checks()';
BEGIN
  IF pg_catalog.string_to_array(pg_catalog.split_part(v_version, '-', 1), '.')::int[] >= ARRAY[1, 5] THEN
    PERFORM cron.schedule('integration_pg_net_health_checks', '10 seconds', v_command);
  ELSE
    PERFORM cron.schedule('integration_pg_net_health_checks', '* * * * *', v_command);
  END IF;
END
$$;

COMMIT;
