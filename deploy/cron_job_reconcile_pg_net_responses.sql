-- Deploy integration-sync:cron_job_reconcile_pg_net_responses to pg
-- requires: cron_job_reconcile_pg_net_responses@v0.2.0 procedure_pump_pg_net_runs
-- 0.3 (issues 22, 24): the job CALLs integration_ops.pump_pg_net_runs(): reconcile and send
-- in transactions of at most 50 runs each, committing in between, until drained. Same job
-- name and schedule (every minute); cron.schedule upserts by name.
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_reconcile_pg_net_responses', '* * * * *', 'CALL integration_ops.pump_pg_net_runs()');
COMMIT;
