-- Verify integration-sync:function_record_warmup on pg
BEGIN;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.record_warmup(uuid, text, integer, text)', 'EXECUTE')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.record_warmup(uuid, text, integer, text)', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.record_warmup(uuid, text, integer, text)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.record_warmup(uuid, text, integer, text)', 'EXECUTE'))::int;
ROLLBACK;
