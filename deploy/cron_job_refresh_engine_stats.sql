-- Deploy integration-sync:cron_job_refresh_engine_stats to pg
-- requires: function_refresh_engine_stats
-- pg_cron: refresh the engine status's figures of the last 24 hours every minute. cron.schedule upserts by job name, so re-running this deploy adds no second job.
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_refresh_engine_stats', '* * * * *', 'SELECT integration_ops.refresh_engine_stats()');
COMMIT;
