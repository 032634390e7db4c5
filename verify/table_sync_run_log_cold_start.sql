-- Verify integration-sync:table_sync_run_log_cold_start on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_attribute
 WHERE attrelid = 'public.sync_run_log'::regclass AND attname = 'cold_start'
   AND attnotnull AND atttypid = 'boolean'::regtype;
SELECT 1/COUNT(*) FROM pg_catalog.pg_attribute
 WHERE attrelid = 'integration_ops.sync_run_log_archive'::regclass AND attname = 'cold_start'
   AND attnotnull AND atttypid = 'boolean'::regtype;
SELECT 1/has_column_privilege('authenticated', 'public.sync_run_log', 'cold_start', 'SELECT')::int;
SELECT 1/(NOT has_column_privilege('authenticated', 'public.sync_run_log', 'cold_start', 'UPDATE'))::int;
ROLLBACK;
