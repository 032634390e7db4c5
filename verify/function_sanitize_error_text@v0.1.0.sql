-- Verify integration-sync:function_sanitize_error_text on pg
BEGIN;
DO $$
DECLARE
  v text := integration_ops.sanitize_error_text(
    E'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    boom()\nfailed password=hunter2 Bearer abc.def');
BEGIN
  IF NOT coalesce((v = 'failed password=[redacted] Bearer [redacted]'), false) THEN
    RAISE EXCEPTION 'sanitize_error_text gave %', v;
  END IF;
  IF NOT coalesce((length(integration_ops.sanitize_error_text(repeat('x', 5000))) = 2000), false) THEN
    RAISE EXCEPTION 'verify failed: length(integration_ops.sanitize_error_text(repeat(''x'', 5000))) = 2000';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_error_text(text)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.sanitize_error_text(text)'', ''execute'')';
  END IF;
END
$$;
ROLLBACK;
