-- Verify integration-sync:function_enqueue_sync_runs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])'::regprocedure)
          LIKE '%integration_ops.clock()%')::int;
SELECT 1/(to_regprocedure('integration_ops.sync_pair_lock_key(uuid, text)') IS NOT NULL)::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute'))::int;
ROLLBACK;
