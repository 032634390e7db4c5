-- Verify integration-sync:function_claim_health_checks on pg
BEGIN;
SELECT org_id, integration_type, health_config, secret_ref
  FROM integration_ops.claim_health_checks('verify', 1) WHERE false;
-- The 0.2 body: a range scan of next_check_at, no anti-join over all pairs.
SELECT 1 / (pg_catalog.pg_get_functiondef('integration_ops.claim_health_checks(text, integer)'::regprocedure)
  LIKE '%Lease the checkable ones%')::int;
SELECT 1 / (pg_catalog.pg_get_functiondef('integration_ops.claim_health_checks(text, integer)'::regprocedure)
  NOT LIKE '%NOT EXISTS (SELECT FROM public.integration_health_status%')::int;
SELECT 1 / pg_catalog.has_function_privilege('integration_worker',
  'integration_ops.claim_health_checks(text, integer)', 'execute')::int;
SELECT 1 / pg_catalog.has_function_privilege('service_role',
  'integration_ops.claim_health_checks(text, integer)', 'execute')::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('authenticated',
  'integration_ops.claim_health_checks(text, integer)', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('anon',
  'integration_ops.claim_health_checks(text, integer)', 'execute'))::int;
-- 0.3 (issue 23): pg_net pairs are left to Postgres.
SELECT 1 / (pg_catalog.pg_get_functiondef('integration_ops.claim_health_checks(text, integer)'::regprocedure)
  LIKE '%IS DISTINCT FROM ''pg_net''%')::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.claim_health_checks(text,integer)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp', 'jit=off'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.claim_health_checks(text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.claim_health_checks(text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.claim_health_checks(text,integer)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.claim_health_checks(text,integer)', 'execute') IS TRUE)::int;
ROLLBACK;
