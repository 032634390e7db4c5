-- Deploy integration-sync:function_claim_warmups to pg
-- requires: function_claim_warmups@v0.2.0 function_take_warmups function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Warm-ups (DESIGN §12 "Cold starts"): the enabled scheduled pairs with a warmup_url whose
-- next period starts within settings.warmup_lead, each claimed once per period
-- (integration_warmups.warmed_for), so two workers never both warm the same period.
-- integration_ops.take_warmups() is the one claim, shared by the worker RPC (delivery
-- worker) and the pg_net pass (delivery pg_net). A warm-up never creates a run and never
-- touches health status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.claim_warmups(worker_id text, max_pairs integer)
RETURNS TABLE (org_id uuid, integration_type text, warmup_url text, secret_ref text, warmed_for timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT integration_ops.is_worker_id(claim_warmups.worker_id)
     OR max_pairs IS NULL OR max_pairs < 1 OR max_pairs > 1000 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id must be 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces), and max_pairs between 1 and 1000.');
  END IF;
  RETURN QUERY
    SELECT t.org_id, t.integration_type, t.warmup_url, t.secret_ref, t.warmed_for
      FROM integration_ops.take_warmups(claim_warmups.worker_id, 'worker', max_pairs) AS t;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_warmups(text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_warmups(text,integer) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.claim_warmups(text, integer) IS
  'Worker RPC: up to max_pairs warm-ups to send now: enabled, scheduled, worker-delivered pairs with a warmup_url whose next period (warmed_for) starts within settings.warmup_lead, each claimed once per period so two workers never both warm. The worker GETs warmup_url with the sync call''s Authorization header and reports the answer with record_warmup(). Creates no run, changes no health status.';

COMMIT;
