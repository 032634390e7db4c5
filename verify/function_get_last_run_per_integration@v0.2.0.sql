-- Verify integration-sync:function_get_last_run_per_integration on pg
BEGIN;
SELECT 1/((pg_catalog.has_function_privilege('authenticated', 'public.get_last_run_per_integration(uuid)', 'execute')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_function_privilege('service_role', 'public.get_last_run_per_integration(uuid)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'public.get_last_run_per_integration(uuid)', 'execute')) IS TRUE)::int;
ROLLBACK;
