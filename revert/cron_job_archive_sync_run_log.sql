-- Deploy integration-sync:cron_job_archive_sync_run_log to pg
-- requires: function_archive_sync_run_log
-- Daily archival of finished runs older than the retention. cron.schedule upserts by name.
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_archive_sync_run_log', '17 3 * * *',
  'SELECT integration_ops.archive_sync_run_log()');
COMMIT;
