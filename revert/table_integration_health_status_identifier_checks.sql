-- Revert integration-sync:table_integration_health_status_identifier_checks from pg
-- Drops the checks; values cleared by the deploy stay cleared.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE public.integration_health_status DROP CONSTRAINT IF EXISTS integration_health_status_claimed_by_format;

COMMIT;
