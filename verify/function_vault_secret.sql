-- Verify integration-sync:function_vault_secret on pg
BEGIN;
SELECT integration_ops.vault_secret('no such secret');
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.vault_secret(text)'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.vault_secret(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.vault_secret(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.vault_secret(text)', 'execute')) IS TRUE)::int;
ROLLBACK;
