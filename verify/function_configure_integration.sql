-- Verify integration-sync:function_configure_integration on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)'::regprocedure
   AND NOT prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute')) IS TRUE)::int;
-- as service_role: a new pair, then the same call again keeps its anchor (an upsert)
SET LOCAL ROLE service_role;
SELECT 1/((public.configure_integration('00000000-0000-0000-0000-00000000c0f1', 'xledger', 'https://x.example/sync')).enabled IS TRUE)::int;
SELECT 1/((public.configure_integration('00000000-0000-0000-0000-00000000c0f1', 'xledger', 'https://x.example/sync2',
          sync_interval => '2 hours')).endpoint_url = 'https://x.example/sync2')::int;
RESET ROLE;
ROLLBACK;
