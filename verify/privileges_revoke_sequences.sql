-- Verify integration-sync:privileges_revoke_sequences on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(NOT EXISTS (
  SELECT FROM unnest(ARRAY[
           pg_catalog.pg_get_serial_sequence('public.integration_health_status', 'id'),
           pg_catalog.pg_get_serial_sequence('public.integration_health_history', 'id'),
           pg_catalog.pg_get_serial_sequence('integration_ops.sync_trigger_audit', 'id')]) AS s(seq)
   CROSS JOIN unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r(role)
   WHERE s.seq IS NULL
      OR pg_catalog.has_sequence_privilege(r.role, s.seq, 'USAGE, SELECT, UPDATE')))::int;
ROLLBACK;
