-- Deploy integration-sync:trigger_organization_integrations_warmup_job to pg
-- requires: cron_job_send_pg_net_warmups table_organization_integrations_warmup_url
-- 0.2 (issues 16 and 18): the pg_net warm-up job costs a fresh backend per run (every 10 s on
-- pg_cron 1.5+: 360 runs an hour, about 1 s/h of database time plus the backend starts, and
-- 8,640 job_run_details rows a day) even in a database where no pair uses it. A statement trigger on
-- organization_integrations keeps the job's `active` flag equal to "some enabled pg_net pair
-- has a warmup_url": no such pair, no runs. The package owns that flag: a hand-made pause of
-- this one job is undone by the next change of a pair (unset warmup_url instead).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_warmup_job_activity()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_job bigint;
  v_active boolean;
  v_wanted boolean;
BEGIN
  -- One toggler at a time: a concurrent statement waits, then sees this one's commit.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('integration_send_pg_net_warmups'));
  SELECT j.jobid, j.active INTO v_job, v_active
    FROM cron.job AS j WHERE j.jobname = 'integration_send_pg_net_warmups';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  v_wanted := EXISTS (SELECT FROM public.organization_integrations AS x
                       WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net' AND x.enabled);
  IF v_wanted IS DISTINCT FROM v_active THEN
    PERFORM cron.alter_job(job_id => v_job, active => v_wanted);
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_warmup_job_activity() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sync_warmup_job_activity() IS
  'Trigger (statement level) on organization_integrations: the pg_cron job integration_send_pg_net_warmups is active exactly while an enabled pg_net pair has a warmup_url.';

DROP TRIGGER IF EXISTS organization_integrations_warmup_job ON public.organization_integrations;
CREATE TRIGGER organization_integrations_warmup_job
  AFTER INSERT OR DELETE OR UPDATE OF warmup_url, delivery, enabled
  ON public.organization_integrations
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.sync_warmup_job_activity();

-- The flag for the pairs that exist now.
DO $$
DECLARE
  v_job bigint := (SELECT j.jobid FROM cron.job AS j WHERE j.jobname = 'integration_send_pg_net_warmups');
BEGIN
  IF v_job IS NOT NULL THEN
    PERFORM cron.alter_job(job_id => v_job, active => EXISTS (
      SELECT FROM public.organization_integrations AS x
       WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net' AND x.enabled));
  END IF;
END
$$;

COMMIT;
