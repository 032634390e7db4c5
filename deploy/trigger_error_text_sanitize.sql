-- Deploy integration-sync:trigger_error_text_sanitize to pg
-- requires: trigger_error_text_sanitize@v0.2.0 trigger_sync_run_log_sanitize trigger_sync_run_log_archive_sanitize trigger_integration_health_history_sanitize function_sanitize_error_message
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.sanitize_error_message -> function_sanitize_error_message
--   trigger sync_run_log_sanitize -> trigger_sync_run_log_sanitize
--   trigger sync_run_log_archive_sanitize -> trigger_sync_run_log_archive_sanitize
--   trigger integration_health_history_sanitize -> trigger_integration_health_history_sanitize
-- The released scripts: deploy/trigger_error_text_sanitize@v0.2.0.sql (frozen); a deploy
-- runs them first, so every object named here exists before this rework, which restates
-- only what is this change's own. That is nothing: it names no object. The comment it set
-- on sync_run_log.error_message is table_sync_run_log's.
-- Its notes until 0.2, on the objects that are now defined elsewhere:
-- DESIGN §12: sanitising runs in triggers on every table that stores error text, so no
-- write path can skip it (a service_role INSERT/UPDATE, the reaper's message built from a
-- worker-supplied worker_id, a DBA's fix). integration_health_status has had its own
-- trigger since 0.1 (integration_health_status_sanitize); this adds public.sync_run_log,
-- integration_ops.sync_run_log_archive and public.integration_health_history (written only
-- by the status table's trigger, from sanitised rows: the trigger there is defence in depth).
-- The triggers fire only when there is text to sanitise (WHEN ... IS NOT NULL) and, on
-- UPDATE, only when error_message is assigned, so heartbeats and status changes pay nothing.
-- sanitize_error_text is idempotent, so text the RPCs already sanitised comes out the same.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
