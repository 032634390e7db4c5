-- Revert integration-sync:table_integration_types from pg
BEGIN;
DROP TABLE IF EXISTS public.integration_types;
COMMIT;
