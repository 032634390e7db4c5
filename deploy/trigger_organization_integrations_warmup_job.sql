-- Deploy integration-sync:trigger_organization_integrations_warmup_job to pg
-- requires: trigger_organization_integrations_warmup_job@v0.2.0 function_sync_warmup_job_activity
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.sync_warmup_job_activity -> function_sync_warmup_job_activity
-- The released scripts: deploy/trigger_organization_integrations_warmup_job@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own. That is the trigger: the released script
-- also set the job's active flag for the pairs of the day, which the trigger has kept
-- since.
-- 0.2 (issues 16 and 18): the pg_net warm-up job costs a fresh backend per run (every 10 s on
-- pg_cron 1.5+: 360 runs an hour, about 1 s/h of database time plus the backend starts, and
-- 8,640 job_run_details rows a day) even in a database where no pair uses it. A statement trigger on
-- organization_integrations keeps the job's `active` flag equal to "some enabled pg_net pair
-- has a warmup_url": no such pair, no runs. The package owns that flag: a hand-made pause of
-- this one job is undone by the next change of a pair (unset warmup_url instead).
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS organization_integrations_warmup_job ON public.organization_integrations;
CREATE TRIGGER organization_integrations_warmup_job
  AFTER INSERT OR DELETE OR UPDATE OF warmup_url, delivery, enabled
  ON public.organization_integrations
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.sync_warmup_job_activity();

COMMIT;
