-- Revert integration-sync:function_url_problem from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.url_problem(text, text[]);
COMMIT;
