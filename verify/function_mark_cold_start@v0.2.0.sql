-- Verify integration-sync:function_mark_cold_start on pg
BEGIN;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.mark_cold_start(uuid, text, text)', 'EXECUTE')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.mark_cold_start(uuid, text, text)', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.mark_cold_start(uuid, text, text)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.mark_cold_start(uuid, text, text)', 'EXECUTE'))::int;
ROLLBACK;
