-- Verify integration-sync:trigger_settings_keep_row on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row' AND tgenabled <> 'D';
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row_truncate' AND tgenabled <> 'D';
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.refuse_settings_removal()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row_truncate'
   AND tgenabled = 'O' AND NOT tgisinternal;
ROLLBACK;
