-- Deploy integration-sync:function_authorize to pg
-- requires: function_authorize@v0.2.0 function_require_caller function_require_org_access
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.require_caller -> function_require_caller
--   function integration_ops.require_org_access -> function_require_org_access
-- The released scripts: deploy/function_authorize@v0.2.0.sql (frozen); a deploy runs them
-- first, so every object named here exists before this rework, which restates only what is
-- this change's own. That is nothing: it names no object of its own.
-- Its notes until 0.2, on the objects that are now defined elsewhere:
-- The checks every RPC runs, in DESIGN §6 order: not_authenticated, (the RPC's own
-- invalid_argument checks), org_scope_violation, permission_denied.
--
-- 0.2 (issue 14):
-- * service_role is the database role in effect (integration_ops.is_service_role), never
--   a claim;
-- * claims that are not a JSON object, a sub that is not a uuid, or an org_id claim that
--   is present but not a uuid give not_authenticated (never 22P02/22P05);
-- * one parse of the claims per check: these two functions are the floor of every per-org
--   RPC (issue 16). They run inside the package's SECURITY DEFINER RPCs (search_path '')
--   and nobody else may execute them, so they carry no SET clause of their own.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
