-- Deploy integration-sync:cron_job_refresh_alerts to pg
-- requires: function_refresh_alerts
-- pg_cron: refresh the engine's alerts every minute. cron.schedule upserts by job name, so re-running this deploy adds no second job.
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_refresh_alerts', '* * * * *', 'SELECT integration_ops.refresh_alerts()');
COMMIT;
