-- Revert integration-sync:index_organization_integrations_pg_net from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP INDEX IF EXISTS public.organization_integrations_pg_net_idx;
COMMIT;
