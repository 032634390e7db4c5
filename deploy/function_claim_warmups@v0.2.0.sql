-- Deploy integration-sync:function_claim_warmups to pg
-- requires: table_integration_warmups table_settings_warmup_tunables function_settings_row function_clock function_raise_error
-- Warm-ups (DESIGN §12 "Cold starts"): the enabled scheduled pairs with a warmup_url whose
-- next period starts within settings.warmup_lead, each claimed once per period
-- (integration_warmups.warmed_for), so two workers never both warm the same period.
-- integration_ops.take_warmups() is the one claim, shared by the worker RPC (delivery
-- worker) and the pg_net pass (delivery pg_net). A warm-up never creates a run and never
-- touches health status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.take_warmups(
  p_claimer text, p_delivery text, p_max integer, p_lookahead interval DEFAULT interval '0')
RETURNS TABLE (org_id uuid, integration_type text, warmup_url text, secret_ref text, warmed_for timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
DECLARE
  v_lead interval := (integration_ops.settings_row()).warmup_lead;
  v_now timestamptz := integration_ops.clock();
BEGIN
  RETURN QUERY
  WITH due AS (
    SELECT oi.org_id, oi.integration_type, oi.warmup_url, oi.secret_ref, oi.next_sync_at
      FROM public.organization_integrations AS oi
     WHERE oi.warmup_url IS NOT NULL
       AND oi.next_sync_at > v_now
       AND oi.next_sync_at <= v_now + v_lead + coalesce(p_lookahead, interval '0')
       AND oi.enabled AND oi.sync_interval IS NOT NULL AND oi.delivery = p_delivery
       AND NOT EXISTS (
         SELECT FROM integration_ops.integration_warmups AS w
          WHERE w.org_id = oi.org_id AND w.integration_type = oi.integration_type
            AND w.warmed_for = oi.next_sync_at)
     ORDER BY oi.next_sync_at, oi.org_id, oi.integration_type
     LIMIT p_max
  ), claimed AS (
    -- A concurrent claim of the same pair waits on the row and then finds warmed_for
    -- already set to this period: the WHERE leaves it unclaimed (no row returned).
    INSERT INTO integration_ops.integration_warmups AS w
           (org_id, integration_type, warmed_for, claimed_by, claimed_at, net_request_id)
    SELECT d.org_id, d.integration_type, d.next_sync_at, p_claimer, v_now, NULL
      FROM due AS d
    ON CONFLICT ON CONSTRAINT integration_warmups_pkey DO UPDATE
       SET warmed_for = EXCLUDED.warmed_for, claimed_by = EXCLUDED.claimed_by,
           claimed_at = EXCLUDED.claimed_at, net_request_id = NULL
     WHERE w.warmed_for IS DISTINCT FROM EXCLUDED.warmed_for
    RETURNING w.org_id, w.integration_type, w.warmed_for
  )
  SELECT c.org_id, c.integration_type, d.warmup_url, d.secret_ref, c.warmed_for
    FROM claimed AS c
    JOIN due AS d ON d.org_id = c.org_id AND d.integration_type = c.integration_type
   ORDER BY c.warmed_for, c.org_id, c.integration_type;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.take_warmups(text, text, integer, interval) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.take_warmups(text, text, integer, interval) IS
  'Internal: claims up to p_max warm-ups of p_delivery pairs (enabled, scheduled, with a warmup_url) whose next period starts within settings.warmup_lead (+ p_lookahead), once per period; returns what to GET.';

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

REVOKE ALL ON FUNCTION integration_ops.claim_warmups(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_warmups(text, integer) TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.claim_warmups(text, integer) IS
  'Worker RPC: up to max_pairs warm-ups to send now: enabled, scheduled, worker-delivered pairs with a warmup_url whose next period (warmed_for) starts within settings.warmup_lead, each claimed once per period so two workers never both warm. The worker GETs warmup_url with the sync call''s Authorization header and reports the answer with record_warmup(). Creates no run, changes no health status.';

COMMIT;
