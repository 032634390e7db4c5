-- Revert integration-sync:function_claim_health_checks from pg: restores the release 0.1 definition
-- requires: function_record_health_check table_organization_integrations function_raise_error role_integration_worker
-- The worker takes due active health checks (DESIGN §8).
--
-- Due: enabled pairs with health_mode = 'active' whose status row has
-- next_check_at <= now(), or that have no scheduled check yet (no status row, or a
-- row with next_check_at NULL: never checked, or switched to active since).
-- At claim the pair's next_check_at is pushed to now() + health_check_interval (the
-- lease): a second worker skips it (SKIP LOCKED while the claim runs, not due after),
-- and if the claiming worker dies the pair is simply checked again one interval later.
-- record_health_check then sets the real next_check_at (interval and backoff).
-- A never-checked pair gets a bookkeeping status row (status NULL, checked_at NULL):
-- no history is written for it and get_org_health_status shows NULL status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.claim_health_checks(
  worker_id text,
  max_checks integer
)
RETURNS TABLE (org_id uuid, integration_type text, health_config jsonb, secret_ref text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_claimed integer;
BEGIN
  IF claim_health_checks.worker_id IS NULL OR btrim(claim_health_checks.worker_id) = ''
     OR claim_health_checks.max_checks IS NULL
     OR claim_health_checks.max_checks NOT BETWEEN 1 AND 1000
  THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id must be a non-empty text and max_checks between 1 and 1000.');
  END IF;

  -- 1. Pairs with a scheduled check that is due, oldest first.
  RETURN QUERY
  WITH due AS (
    SELECT hs.id, oi.health_check_interval AS check_interval
      FROM public.integration_health_status AS hs
      JOIN public.organization_integrations AS oi
        ON oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
     WHERE hs.next_check_at <= now()
       AND oi.enabled
       AND oi.health_mode = 'active'
     ORDER BY hs.next_check_at
     LIMIT claim_health_checks.max_checks
       FOR UPDATE OF hs SKIP LOCKED
  ), claimed AS (
    UPDATE public.integration_health_status AS hs
       SET next_check_at = now() + due.check_interval,
           claimed_by = claim_health_checks.worker_id,
           claimed_at = now()
      FROM due
     WHERE hs.id = due.id
    RETURNING hs.org_id AS c_org_id, hs.integration_type AS c_type
  )
  SELECT c.c_org_id, c.c_type, oi.health_config, oi.secret_ref
    FROM claimed AS c
    JOIN public.organization_integrations AS oi
      ON oi.org_id = c.c_org_id AND oi.integration_type = c.c_type;
  GET DIAGNOSTICS v_claimed = ROW_COUNT;

  IF v_claimed >= claim_health_checks.max_checks THEN
    RETURN;
  END IF;

  -- 2. Active pairs without a scheduled check. There is no row to lock with SKIP
  --    LOCKED yet, so each candidate is taken with a transaction-scoped advisory lock
  --    (try: a concurrent claimer skips it instead of waiting on the unique key); the
  --    ON CONFLICT ... WHERE next_check_at IS NULL skips a pair claimed and committed
  --    in the meantime.
  RETURN QUERY
  WITH fresh AS (
    SELECT cand.f_org_id, cand.f_type, cand.check_interval
      FROM (SELECT oi.org_id AS f_org_id, oi.integration_type AS f_type,
                   oi.health_check_interval AS check_interval
              FROM public.organization_integrations AS oi
             WHERE oi.enabled
               AND oi.health_mode = 'active'
               AND NOT EXISTS (SELECT FROM public.integration_health_status AS hs
                                WHERE hs.org_id = oi.org_id
                                  AND hs.integration_type = oi.integration_type
                                  AND hs.next_check_at IS NOT NULL)
             ORDER BY oi.created_at, oi.org_id, oi.integration_type
             LIMIT claim_health_checks.max_checks - v_claimed) AS cand
     WHERE pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtextextended(
             'integration_health_claim:' || cand.f_org_id::text || ':' || cand.f_type, 0))
  ), claimed AS (
    INSERT INTO public.integration_health_status AS hs
      (org_id, integration_type, next_check_at, claimed_by, claimed_at)
    SELECT f.f_org_id, f.f_type, now() + f.check_interval, claim_health_checks.worker_id, now()
      FROM fresh AS f
    ON CONFLICT ON CONSTRAINT integration_health_status_pair_key DO UPDATE
       SET next_check_at = EXCLUDED.next_check_at,
           claimed_by = EXCLUDED.claimed_by,
           claimed_at = EXCLUDED.claimed_at
     WHERE hs.next_check_at IS NULL
    RETURNING hs.org_id AS c_org_id, hs.integration_type AS c_type
  )
  SELECT c.c_org_id, c.c_type, oi.health_config, oi.secret_ref
    FROM claimed AS c
    JOIN public.organization_integrations AS oi
      ON oi.org_id = c.c_org_id AND oi.integration_type = c.c_type;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_health_checks(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_health_checks(text, integer) TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.claim_health_checks(text, integer) IS
  'Worker RPC: claim up to max_checks due active health checks (enabled pairs, health_mode active, next_check_at <= now() or never scheduled), FOR UPDATE SKIP LOCKED; each claimed pair''s next_check_at is pushed to now() + health_check_interval so no other worker takes it. Never-checked pairs get a bookkeeping status row (status NULL; no history). Returns org_id, integration_type, health_config, secret_ref.';

COMMIT;
