-- Deploy integration-sync:cron_job_reconcile_pg_net_responses to pg
-- requires: function_reconcile_pg_net_responses
-- pg_cron: reconcile pg_net responses every minute (returns 0 at once without pg_net). cron.schedule upserts by job name, so re-running this deploy adds no second job.
BEGIN;
SELECT cron.schedule('integration_reconcile_pg_net_responses', '* * * * *', 'SELECT integration_ops.reconcile_pg_net_responses()');
COMMIT;
