-- Verify integration-sync:function_is_retryable_error on pg
BEGIN;
SELECT 1/(integration_ops.is_retryable_error('http_503') AND integration_ops.is_retryable_error('worker_lost')
          AND NOT integration_ops.is_retryable_error('http_401')
          AND NOT integration_ops.is_retryable_error(NULL))::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.is_retryable_error(text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.is_retryable_error(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.is_retryable_error(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_retryable_error(text)', 'execute')) IS TRUE)::int;
ROLLBACK;
