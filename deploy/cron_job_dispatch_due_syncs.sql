-- Deploy integration-sync:cron_job_dispatch_due_syncs to pg
-- requires: cron_job_dispatch_due_syncs@v0.1.0 procedure_dispatch_all_due_syncs
-- 0.2: the every-minute job calls the procedure that dispatches batch after batch with
-- commits in between until nothing is due (cron.schedule upserts by job name).
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_dispatch_due_syncs', '* * * * *', 'CALL integration_ops.dispatch_all_due_syncs()');
COMMIT;
