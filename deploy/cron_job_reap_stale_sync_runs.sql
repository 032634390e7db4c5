-- Deploy integration-sync:cron_job_reap_stale_sync_runs to pg
-- requires: function_reap_stale_sync_runs
-- pg_cron: fail runs whose worker was lost, every 5 minutes. cron.schedule upserts by job name, so re-running this deploy adds no second job.
BEGIN;
SELECT cron.schedule('integration_reap_stale_sync_runs', '*/5 * * * *', 'SELECT integration_ops.reap_stale_sync_runs()');
COMMIT;
