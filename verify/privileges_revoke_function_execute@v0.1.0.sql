-- Verify integration-sync:privileges_revoke_function_execute on pg
BEGIN;
SELECT 1 / COUNT(*)
  FROM pg_catalog.pg_default_acl d
 WHERE d.defaclrole = current_user::regrole
   AND d.defaclobjtype = 'f'
   AND d.defaclnamespace = 0
   AND NOT EXISTS (
     SELECT 1 FROM pg_catalog.aclexplode(d.defaclacl) a
      WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE');
ROLLBACK;
