-- Revert integration-sync:function_claim_warmups from pg: restore the 0.2 definition
-- (created by function_claim_warmups), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.claim_warmups(worker_id text, max_pairs integer)
RETURNS TABLE (org_id uuid, integration_type text, warmup_url text, secret_ref text, warmed_for timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF claim_warmups.worker_id IS NULL OR btrim(claim_warmups.worker_id) = ''
     OR max_pairs IS NULL OR max_pairs < 1 OR max_pairs > 1000 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id must be non-empty and max_pairs between 1 and 1000.');
  END IF;
  RETURN QUERY
    SELECT t.org_id, t.integration_type, t.warmup_url, t.secret_ref, t.warmed_for
      FROM integration_ops.take_warmups(claim_warmups.worker_id, 'worker', max_pairs) AS t;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_warmups(text,integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.claim_warmups(text,integer) FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.claim_warmups(text,integer) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.claim_warmups(text, integer) IS
  'Worker RPC: up to max_pairs warm-ups to send now: enabled, scheduled, worker-delivered pairs with a warmup_url whose next period (warmed_for) starts within settings.warmup_lead, each claimed once per period so two workers never both warm. The worker GETs warmup_url with the sync call''s Authorization header and reports the answer with record_warmup(). Creates no run, changes no health status.';

COMMIT;
