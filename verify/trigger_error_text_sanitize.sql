-- Verify integration-sync:trigger_error_text_sanitize on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(count(*) = 3)::int
  FROM pg_catalog.pg_trigger AS t
 WHERE t.tgfoid = 'integration_ops.sanitize_error_message()'::regprocedure
   AND NOT t.tgisinternal
   AND t.tgenabled <> 'D'
   AND (t.tgrelid, t.tgname) IN (('public.sync_run_log'::regclass, 'sync_run_log_sanitize'),
                                 ('integration_ops.sync_run_log_archive'::regclass, 'sync_run_log_archive_sanitize'),
                                 ('public.integration_health_history'::regclass, 'integration_health_history_sanitize'));
SELECT 1/((SELECT p.prosecdef FROM pg_catalog.pg_proc AS p
            WHERE p.oid = 'integration_ops.sanitize_error_message()'::regprocedure) IS TRUE)::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_error_message()', 'execute'))::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.sanitize_error_message()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.sync_run_log'::regclass AND tgname = 'sync_run_log_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.sync_run_log_archive'::regclass AND tgname = 'sync_run_log_archive_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_history'::regclass AND tgname = 'integration_health_history_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal;
ROLLBACK;
