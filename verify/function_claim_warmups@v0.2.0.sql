-- Verify integration-sync:function_claim_warmups on pg
BEGIN;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.claim_warmups(text, integer)', 'EXECUTE')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.claim_warmups(text, integer)', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.claim_warmups(text, integer)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.claim_warmups(text, integer)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.take_warmups(text, text, integer, interval)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.take_warmups(text, text, integer, interval)', 'EXECUTE'))::int;
ROLLBACK;
