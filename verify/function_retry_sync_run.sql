-- Verify integration-sync:function_retry_sync_run on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
-- the exposed RPC is an invoker; its body a pinned definer outside the API schema
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'public.retry_sync_run(uuid)'::regprocedure AND NOT prosecdef
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.retry_sync_run(uuid)'::regprocedure AND prosecdef
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'public.retry_sync_run(uuid)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'public.retry_sync_run(uuid)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'public.retry_sync_run(uuid)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'public.retry_sync_run(uuid)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.retry_sync_run(uuid)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.retry_sync_run(uuid)', 'execute')) IS TRUE)::int;
-- as service_role, an unknown run is run_not_found
DO $$
BEGIN
  SET LOCAL ROLE service_role;
  BEGIN
    PERFORM public.retry_sync_run(gen_random_uuid());
    RAISE EXCEPTION 'retry_sync_run accepted an unknown run';
  EXCEPTION WHEN SQLSTATE 'PT404' THEN
    NULL;
  END;
  RESET ROLE;
END
$$;
ROLLBACK;
