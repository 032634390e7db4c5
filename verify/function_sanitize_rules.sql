-- Verify integration-sync:function_sanitize_rules on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
-- search_path pinned, privileges as granted
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.sanitize_rules()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.sanitize_rules()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_rules()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.sanitize_rules()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.sanitize_rules()', 'execute')) IS TRUE)::int;
-- 0.3 (issue 21): the new rules are in (the forms of tests/cases/sanitize.json)
SELECT 1/(pg_catalog.array_to_string(integration_ops.sanitize_rules(), ' ') LIKE '%sb_secret_%' IS TRUE)::int;
SELECT 1/(integration_ops.sanitize_error_text('{"password": ["hunter2"]}') = '{"password": "[redacted]"}' IS TRUE)::int;
SELECT 1/(integration_ops.sanitize_error_text(E'password:\n  hunter2') = E'password:\n  [redacted]' IS TRUE)::int;
SELECT 1/(integration_ops.sanitize_error_text('https://hooks.slack.com/services/T0/B0/abc')
  = 'https://hooks.slack.com/services/[redacted]' IS TRUE)::int;
ROLLBACK;
