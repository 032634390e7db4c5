-- Verify integration-sync:function_webhook_headers on pg
BEGIN;
SELECT 1/((integration_ops.webhook_headers('id', '{}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', NULL,
          'epoch'::timestamptz + interval '1700000000 seconds') ->> 'webhook-signature') LIKE 'v1,%')::int;
SELECT 1/(integration_ops.webhook_headers('id', '{}', 'not-a-secret', NULL, now()) IS NULL)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.webhook_headers(text, text, text, text, timestamptz)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.webhook_headers(text, text, text, text, timestamptz)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.webhook_headers(text, text, text, text, timestamptz)', 'execute')) IS TRUE)::int;
ROLLBACK;
