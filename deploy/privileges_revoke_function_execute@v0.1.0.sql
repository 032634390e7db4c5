-- Deploy integration-sync:privileges_revoke_function_execute to pg
-- Revoke first: functions the deploying role creates are no longer executable by PUBLIC.
-- (Supabase's schema-level defaults still grant EXECUTE in public to anon and
-- authenticated, so every function also revokes and grants explicitly.)
BEGIN;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
COMMIT;
