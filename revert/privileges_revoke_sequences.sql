-- Revert integration-sync:privileges_revoke_sequences from pg
-- Back to the 0.1 state: what the default privileges of the sequences' schema and owner
-- gave the API roles when the sequences were created (on Supabase: USAGE, SELECT, UPDATE
-- to anon, authenticated and service_role in public; elsewhere usually nothing).
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT s.seq, a.grantee::regrole::text AS grantee, a.privilege_type
      FROM unnest(ARRAY[
             pg_catalog.pg_get_serial_sequence('public.integration_health_status', 'id'),
             pg_catalog.pg_get_serial_sequence('public.integration_health_history', 'id'),
             pg_catalog.pg_get_serial_sequence('integration_ops.sync_trigger_audit', 'id')]) AS s(seq)
      JOIN pg_catalog.pg_class AS c ON c.oid = s.seq::regclass
      JOIN pg_catalog.pg_default_acl AS d
        ON d.defaclrole = c.relowner AND d.defaclnamespace = c.relnamespace AND d.defaclobjtype = 'S'
     CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) AS a
     WHERE a.grantee IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role'))
  LOOP
    EXECUTE pg_catalog.format('GRANT %s ON SEQUENCE %s TO %s', r.privilege_type, r.seq, r.grantee);
  END LOOP;
END
$$;

COMMIT;
