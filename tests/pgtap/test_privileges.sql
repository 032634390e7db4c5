-- Privileges the deploy leaves (issue 14, DESIGN §12): no API role has privileges on the
-- package's sequences; no database-wide default privileges changed by the deploy.
BEGIN;
SELECT plan(6);

SELECT is_empty($$
  SELECT format('%s: %s', c.oid::regclass, r.rolname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   CROSS JOIN (SELECT rolname FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role')) r
   WHERE n.nspname IN ('public', 'integration_ops') AND c.relkind = 'S'
     AND has_sequence_privilege(r.rolname, c.oid, 'USAGE, SELECT, UPDATE')$$,
  'no API role has any privilege on the package''s sequences');
SELECT is_empty($$
  SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('public', 'integration_ops') AND c.relkind = 'S'
     AND EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = 0)$$,
  'nor PUBLIC');

SELECT tests.authenticate_with_claims('{"sub":"cccccccc-0000-0000-0000-000000000003"}');
SELECT throws_ok($$SELECT setval(pg_get_serial_sequence('public.integration_health_status', 'id'), 1)$$,
  '42501', NULL, 'authenticated cannot setval the health status ids');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT setval(pg_get_serial_sequence('public.integration_health_history', 'id'), 1)$$,
  '42501', NULL, 'service_role cannot setval the health history ids');
SELECT lives_ok($$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
                  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'healthy', now())$$,
  'service_role still writes rows with identity ids');
SELECT tests.clear_authentication();

SELECT is_empty($$
  SELECT d.defaclrole::regrole::text FROM pg_default_acl d
   WHERE d.defaclnamespace = 0 AND d.defaclrole = 'postgres'::regrole$$,
  'the deploy leaves no database-wide default privileges for the deploying role');

SELECT * FROM finish();
ROLLBACK;
