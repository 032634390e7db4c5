-- Revert integration-sync:function_require_integration from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.require_configured_integration(uuid, text);
DROP FUNCTION IF EXISTS integration_ops.require_known_type(text);
COMMIT;
