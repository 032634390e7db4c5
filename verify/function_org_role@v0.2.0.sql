-- Verify integration-sync:function_org_role on pg
-- Raises whatever the settings (no ASSERT): each check is SELECT 1/(condition IS TRUE)::int.
BEGIN;
SELECT 1/((SELECT l.lanname = 'plpgsql' AND p.prosecdef FROM pg_catalog.pg_proc AS p
             JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
            WHERE p.oid = 'integration_ops.org_role(uuid)'::regprocedure) IS TRUE)::int;
SELECT 1/((SELECT l.lanname = 'plpgsql' FROM pg_catalog.pg_proc AS p
             JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
            WHERE p.oid = 'integration_ops.jwt_org_role()'::regprocedure) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'integration_ops.org_role(uuid)', 'execute'))::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'integration_ops.jwt_org_role()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.org_role(uuid)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.org_role(uuid)', 'execute'))::int;
SELECT pg_catalog.set_config('request.jwt.claims', '{}', true);
SELECT 1/(integration_ops.org_role(gen_random_uuid()) IS NULL)::int;
ROLLBACK;
