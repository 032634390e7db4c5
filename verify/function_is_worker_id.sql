-- Verify integration-sync:function_is_worker_id on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.is_worker_id(text)'::regprocedure
   AND provolatile = 'i' AND NOT prosecdef
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(integration_ops.is_worker_id('host-1:4242') IS TRUE)::int;
SELECT 1/(integration_ops.is_worker_id('pg_net') IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_worker_id('host-1 password=hunter2')) IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_worker_id(pg_catalog.repeat('a', 101))) IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_worker_id(NULL)) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.is_worker_id(text)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_worker_id(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.is_worker_id(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.is_worker_id(text)', 'execute')) IS TRUE)::int;
ROLLBACK;
