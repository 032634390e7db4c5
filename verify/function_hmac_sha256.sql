-- Verify integration-sync:function_hmac_sha256 on pg
BEGIN;
-- RFC 4231 test case 2
SELECT 1/(encode(integration_ops.hmac_sha256(convert_to('Jefe', 'UTF8'),
            convert_to('what do ya want for nothing?', 'UTF8')), 'hex')
          = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.hmac_sha256(bytea, bytea)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.hmac_sha256(bytea, bytea)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.hmac_sha256(bytea, bytea)', 'execute')) IS TRUE)::int;
ROLLBACK;
