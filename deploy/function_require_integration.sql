-- Deploy integration-sync:function_require_integration to pg
-- requires: function_require_integration@v0.2.0 function_require_known_type function_require_configured_integration
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.require_known_type -> function_require_known_type
--   function integration_ops.require_configured_integration -> function_require_configured_integration
-- The released scripts: deploy/function_require_integration@v0.2.0.sql (frozen); a deploy
-- runs them first, so every object named here exists before this rework, which restates
-- only what is this change's own. That is nothing: it names no object of its own.
-- Its notes until 0.2, on the objects that are now defined elsewhere:
-- The allowlist and configuration checks every RPC shares (DESIGN §6 codes
-- unknown_integration_type, then integration_not_configured).
--
-- 0.2 (issue 14): the unknown type is echoed through error_excerpt (at most 100
-- characters): a 1 MB integration_type no longer comes back in a 1 MB DETAIL.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
