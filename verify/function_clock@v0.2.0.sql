-- Verify integration-sync:function_clock on pg
BEGIN;
-- exists, and is plain now() (a test's time-travel override must never reach a real database)
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.clock()'::regprocedure)
          LIKE '%SELECT pg_catalog.now()%')::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.clock()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.clock()', 'execute'))::int;
ROLLBACK;
