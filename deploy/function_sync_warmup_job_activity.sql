-- Deploy integration-sync:function_sync_warmup_job_activity to pg
-- requires: trigger_organization_integrations_warmup_job
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_warmup_job. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_warmup_job_activity()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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

COMMIT;
