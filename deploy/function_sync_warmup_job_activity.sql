-- Deploy integration-sync:function_sync_warmup_job_activity to pg
-- requires: trigger_organization_integrations_warmup_job
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_warmup_job. Reverting restores that definition.
-- 0.3 (issue 22): no global lock any more (every pair edit of every tenant queued behind
-- it, and two transactions editing two pairs in opposite order deadlocked): the trigger only
-- switches the job on; integration_ops.send_pg_net_warmups switches it off when it finds
-- nothing to warm and no such write is in flight.
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
BEGIN
  -- 0.3: only switches the job ON, without a global lock. Writers hold the job's key
  -- shared (they never wait for each other, so no cross-tenant queueing and no deadlock);
  -- the job switches itself off only when it gets the key alone (no such write in flight),
  -- so a pair committed now is seen by its next run or re-enables it here.
  PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('integration_send_pg_net_warmups'));
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS x
                  WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net' AND x.enabled) THEN
    RETURN NULL;
  END IF;
  -- An inactive job is switched on by one writer; one already doing it is skipped.
  SELECT j.jobid INTO v_job FROM cron.job AS j
   WHERE j.jobname = 'integration_send_pg_net_warmups' AND NOT j.active
     FOR UPDATE SKIP LOCKED;
  IF v_job IS NOT NULL THEN
    PERFORM cron.alter_job(job_id => v_job, active => true);
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_warmup_job_activity() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sync_warmup_job_activity() IS
  'Trigger (statement level) on organization_integrations: switches the pg_cron job integration_send_pg_net_warmups on when an enabled pg_net pair has a warmup_url (no global lock); the job switches itself off when none has.';

COMMIT;
