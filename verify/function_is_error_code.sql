-- Verify integration-sync:function_is_error_code on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.is_error_code(text)'::regprocedure
   AND provolatile = 'i' AND NOT prosecdef
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(integration_ops.is_error_code('http_503') IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_error_code('host-1 password=hunter2')) IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_error_code(pg_catalog.repeat('a', 65))) IS TRUE)::int;
SELECT 1/((NOT integration_ops.is_error_code(NULL)) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.is_error_code(text)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_error_code(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.is_error_code(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.is_error_code(text)', 'execute')) IS TRUE)::int;
ROLLBACK;
