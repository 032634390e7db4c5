-- Verify integration-sync:function_url_problem on pg
BEGIN;
SELECT 1/(integration_ops.url_problem('https://api.example.com/x', ARRAY['127.0.0.1']) IS NULL)::int;
SELECT 1/(integration_ops.url_problem('https://169.254.169.254/', ARRAY['127.0.0.1']) IS NOT NULL)::int;
SELECT 1/(integration_ops.url_problem('http://api.example.com/x', ARRAY['127.0.0.1']) IS NOT NULL)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.url_problem(text, text[])'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.url_problem(text, text[])', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.url_problem(text, text[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.url_problem(text, text[])', 'execute')) IS TRUE)::int;
ROLLBACK;
