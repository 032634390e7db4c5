-- Verify integration-sync:function_get_run_history on pg
BEGIN;
SELECT 1/((pg_catalog.has_function_privilege('authenticated', 'public.get_run_history(uuid, text, integer)', 'execute')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_function_privilege('service_role', 'public.get_run_history(uuid, text, integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'public.get_run_history(uuid, text, integer)', 'execute')) IS TRUE)::int;
ROLLBACK;
