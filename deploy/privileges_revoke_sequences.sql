-- Deploy integration-sync:privileges_revoke_sequences to pg
-- requires: table_integration_health_status table_integration_health_history table_sync_trigger_audit
-- DESIGN §12: no API role has privileges on the package's sequences. Supabase's default
-- privileges give anon, authenticated and service_role USAGE, SELECT and UPDATE on every
-- new sequence in public, so the two health id sequences were open: setval() survives
-- ROLLBACK, so one call could make every later health write fail (duplicate ids). The
-- identity columns need no sequence privilege from the writer (Postgres draws the next
-- value for the table's owner), so service_role keeps writing rows. Only the package's
-- own sequences are touched, never the adopter's.
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
  v_seq text;
BEGIN
  FOREACH v_seq IN ARRAY ARRAY[
    pg_catalog.pg_get_serial_sequence('public.integration_health_status', 'id'),
    pg_catalog.pg_get_serial_sequence('public.integration_health_history', 'id'),
    pg_catalog.pg_get_serial_sequence('integration_ops.sync_trigger_audit', 'id')]
  LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, anon, authenticated, service_role', v_seq);
  END LOOP;
END
$$;

COMMIT;
