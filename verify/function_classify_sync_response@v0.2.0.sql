-- Verify integration-sync:function_classify_sync_response on pg
BEGIN;
SELECT 1/((integration_ops.classify_sync_response(200, '{"records_processed": 5.0}')).records_processed = 5)::int;
SELECT 1/((integration_ops.classify_sync_response(200, '[]')).error_code = 'invalid_response')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.classify_sync_response(integer, text, text)', 'execute'))::int;
ROLLBACK;
