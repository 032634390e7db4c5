-- Revert integration-sync:table_integration_warmups_identifier_checks from pg
-- Drops the checks; values cleared by the deploy stay cleared.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.integration_warmups DROP CONSTRAINT IF EXISTS integration_warmups_claimed_by_format;

COMMIT;
