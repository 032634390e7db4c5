-- Deploy integration-sync:cron_job_cleanup_health_history to pg
-- requires: procedure_cleanup_health_history
-- Hourly retention of health history and of this package's pg_cron run log.
-- cron.schedule upserts by name, so re-running this script never duplicates the job.
BEGIN;
SELECT cron.schedule('integration_cleanup_health_history', '23 * * * *',
  'CALL integration_ops.cleanup_health_history()');
COMMIT;
