-- Revert integration-sync:function_package_version from pg
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.package_version();

COMMIT;
