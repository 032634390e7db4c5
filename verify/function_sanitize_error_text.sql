-- Verify integration-sync:function_sanitize_error_text on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(integration_ops.sanitize_error_text(
  E'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    boom()\nfailed password=hunter2 Bearer abc.def')
  = 'failed password=[redacted] Bearer [redacted]' IS TRUE)::int;
-- 0.2 forms
SELECT 1/(integration_ops.sanitize_error_text('redis://:pw@h password=''a b'' Authorization: token abc')
  = 'redis://[redacted]@h password=''[redacted]'' Authorization: token [redacted]' IS TRUE)::int;
SELECT 1/(char_length(integration_ops.sanitize_error_text(repeat('x', 5000))) = 2000 IS TRUE)::int;
SELECT 1/(array_length(integration_ops.sanitize_rules(), 1) > 0 IS TRUE)::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_error_text(text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.sanitize_error_text(text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_rules()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.sanitize_error_text(text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.sanitize_error_text(text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_error_text(text)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.sanitize_error_text(text)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.sanitize_error_text(text)', 'execute') IS TRUE)::int;
-- 0.3 (issue 21): a head cut mid-line loses its cut last word (one word: only the mark is left)
SELECT 1/(integration_ops.sanitize_error_text(repeat('y', 40000)) = '[...]' IS TRUE)::int;
SELECT 1/(integration_ops.sanitize_error_text('a ' || repeat('y', 40000)) = E'a\n[...]' IS TRUE)::int;
ROLLBACK;
