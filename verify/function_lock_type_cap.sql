-- Verify integration-sync:function_lock_type_cap on pg
BEGIN;
SELECT integration_ops.lock_type_cap('bufdir');
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_locks
 WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid();
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.lock_type_cap(text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.lock_type_cap(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.lock_type_cap(text)', 'execute')) IS TRUE)::int;
ROLLBACK;
