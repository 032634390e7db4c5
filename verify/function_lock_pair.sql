-- Verify integration-sync:function_lock_pair on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT integration_ops.lock_pair('00000000-0000-0000-0000-000000000001', 'xledger');
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_locks
 WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid();
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.lock_pair(uuid, text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.lock_pair(uuid, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.lock_pair(uuid, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.lock_pair(uuid, text)', 'execute')) IS TRUE)::int;
ROLLBACK;
