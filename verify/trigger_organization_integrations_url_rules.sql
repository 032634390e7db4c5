-- Verify integration-sync:trigger_organization_integrations_url_rules on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_url_rules' AND tgenabled <> 'D';
-- a metadata address is refused at write time
DO $$
BEGIN
  BEGIN
    INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url)
    VALUES (gen_random_uuid(), 'xledger', 'https://169.254.169.254/latest');
    RAISE EXCEPTION 'the URL rules let a metadata address through';
  EXCEPTION WHEN SQLSTATE 'PT400' THEN
    NULL;
  END;
END
$$;
ROLLBACK;
