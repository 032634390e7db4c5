-- Revert integration-sync:table_organization_integrations_warmup_url from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP INDEX IF EXISTS public.organization_integrations_warmup_idx;
ALTER TABLE public.organization_integrations DROP COLUMN IF EXISTS warmup_url;
COMMIT;
