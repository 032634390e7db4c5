-- Verify integration-sync:function_retry_delay on pg
BEGIN;
SELECT 1/(integration_ops.retry_delay(1, '120', now()) = interval '120 seconds')::int;
SELECT 1/(integration_ops.retry_delay(3, NULL, now()) BETWEEN interval '0' AND interval '120 seconds')::int;
SELECT 1/(integration_ops.retry_delay(1, to_char(now() AT TIME ZONE 'UTC' + interval '1 hour',
          'Dy, DD Mon YYYY HH24:MI:SS "GMT"'), now()) BETWEEN interval '59 minutes' AND interval '1 hour')::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.retry_delay(integer, text, timestamptz)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.retry_delay(integer, text, timestamptz)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.retry_delay(integer, text, timestamptz)', 'execute')) IS TRUE)::int;
ROLLBACK;
