-- Verify integration-sync:function_classify_health_probe on pg
BEGIN;
SELECT 1/((c.status, c.error_message) IS NOT DISTINCT FROM ('healthy'::text, NULL::text))::int
  FROM integration_ops.classify_health_probe(200, 10, 2000, false, NULL) AS c;
SELECT 1/((c.status, c.error_message) = ('degraded'::text, 'HTTP 429: rate limited'::text))::int
  FROM integration_ops.classify_health_probe(429, 10, 2000, false, NULL) AS c;
SELECT 1/(c.status = 'unreachable' AND c.error_message LIKE 'connection error: %')::int
  FROM integration_ops.classify_health_probe(NULL, NULL, 2000, false, 'Couldn''t connect to server') AS c;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.classify_health_probe(integer, integer, integer, boolean, text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'] AND NOT prosecdef;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.classify_health_probe(integer, integer, integer, boolean, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.classify_health_probe(integer, integer, integer, boolean, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.classify_health_probe(integer, integer, integer, boolean, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.classify_health_probe(integer, integer, integer, boolean, text)', 'execute')) IS TRUE)::int;
ROLLBACK;
