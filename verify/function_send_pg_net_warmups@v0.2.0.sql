-- Verify integration-sync:function_send_pg_net_warmups on pg
BEGIN;
SELECT 1/has_function_privilege('service_role', 'integration_ops.send_pg_net_warmups(interval)', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.send_pg_net_warmups(interval)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.send_pg_net_warmups(interval)', 'EXECUTE'))::int;
ROLLBACK;
