-- Deploy integration-sync:function_wake_sync_delivery to pg
-- requires: function_wake_sync_delivery@v0.2.0 function_send_pg_net_runs
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: a delivery that fails at once ends its run through the one finish path (so passive
-- health hears of it); timestamps from the engine's clock; settings read loudly.
-- The one wake-up of the engine, called by the dispatcher and the manual trigger alike:
--  * worker pairs: NOTIFY integration_sync_wakeup (payload: the run id when there is one
--    run, else empty); the worker claims with claim_sync_runs();
--  * pg_net pairs: net.http_post(...) per run, the run turned running with the request id.
-- pg_net (schema `net`) and Vault (schema `vault`) are looked up at run time and called
-- through dynamic SQL, so this deploys and works without them.
-- 0.3 (issues 21, 22): the pg_net part is integration_ops.send_pg_net_runs (signed calls,
-- never the service-role key; due runs only; flow control; at most 50 per transaction);
-- a run waiting for its retry backoff is not announced to the workers.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.wake_sync_delivery(run_ids uuid[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_sent record;
  v_worker_runs uuid[];
BEGIN
  IF run_ids IS NULL OR cardinality(run_ids) = 0 THEN
    RETURN 0;
  END IF;

  -- pg_net deliveries (0.3: signed, due runs only, within the type's cap, at most 50 in
  -- this transaction; the rest go out from the pg_cron jobs). O(1) when no pair uses pg_net.
  SELECT * INTO v_sent FROM integration_ops.send_pg_net_runs(wake_sync_delivery.run_ids);

  -- Worker deliveries: one NOTIFY for the due runs (the worker polls as a backstop) --------
  v_worker_runs := ARRAY(
    SELECT r.id
      FROM public.sync_run_log AS r
      LEFT JOIN public.organization_integrations AS oi
        ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
     WHERE r.id = ANY (run_ids) AND r.status = 'pending'
       AND coalesce(r.not_before, r.created_at) <= integration_ops.clock()
       AND coalesce(oi.delivery, 'worker') = 'worker');
  IF cardinality(v_worker_runs) > 0 THEN
    PERFORM pg_notify('integration_sync_wakeup',
      CASE WHEN cardinality(v_worker_runs) = 1 THEN v_worker_runs[1]::text ELSE '' END);
  END IF;
  RETURN v_sent.failed;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.wake_sync_delivery(uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.wake_sync_delivery(uuid[]) IS
  'Internal: wake delivery of new pending runs (dispatcher and manual trigger). Worker pairs: NOTIFY integration_sync_wakeup for the due ones. pg_net pairs: integration_ops.send_pg_net_runs (signed net.http_post, due runs within the type''s cap, at most 50 per transaction; the pg_cron jobs send the rest). Returns the number of runs whose delivery failed at once (pg_net_unavailable, no_endpoint, url_not_allowed, webhook_secret_missing, delivery_error).';

COMMIT;
