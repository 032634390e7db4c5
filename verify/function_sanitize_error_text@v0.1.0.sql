-- Verify integration-sync:function_sanitize_error_text on pg
BEGIN;
DO $$
DECLARE
  v text := integration_ops.sanitize_error_text(
    E'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    boom()\nfailed password=hunter2 Bearer abc.def');
BEGIN
  ASSERT v = 'failed password=[redacted] Bearer [redacted]', v;
  ASSERT length(integration_ops.sanitize_error_text(repeat('x', 5000))) = 2000;
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.sanitize_error_text(text)', 'execute');
END
$$;
ROLLBACK;
