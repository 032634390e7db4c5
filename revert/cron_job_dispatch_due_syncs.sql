-- Deploy integration-sync:cron_job_dispatch_due_syncs to pg
-- requires: function_dispatch_due_syncs
-- pg_cron: dispatch due syncs every minute. cron.schedule upserts by job name, so re-running this deploy adds no second job.
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_dispatch_due_syncs', '* * * * *', 'SELECT integration_ops.dispatch_due_syncs()');
COMMIT;
