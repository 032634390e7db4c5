-- Deploy integration-sync:cron_job_pg_net_health_checks to pg
-- requires: function_send_pg_net_health_checks function_record_pg_net_health_checks
-- 0.3 (issue 23): active health checks of pg_net pairs, run by Postgres. Each run first
-- records the answers that arrived (record_pg_net_health_checks), then sends second probes
-- and due checks (send_pg_net_health_checks, at most 50 probes a run).
-- Every minute, on every pg_cron version: health intervals are 15 minutes at least, so a
-- minute's delay is nothing; 50 probes a minute check 750 pg_net pairs at the minimum
-- interval. Idle (no pg_net, or no open probe and no pg_net pair) a run is two catalog
-- look-ups and one probe of a partial index; 1,440 runs a day like the other every-minute
-- jobs (a 10-second schedule would add 8,640 cron.job_run_details rows a day for everyone).
BEGIN;
SET LOCAL lock_timeout = '5s';

SELECT cron.schedule('integration_pg_net_health_checks', '* * * * *',
  'SELECT integration_ops.record_pg_net_health_checks(); SELECT integration_ops.send_pg_net_health_checks()');

COMMIT;
