-- Deploy integration-sync:function_claim_health_checks to pg
-- requires: function_claim_health_checks@v0.2.0 function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 23): pairs with delivery = 'pg_net' are checked by Postgres
-- (integration_ops.send_pg_net_health_checks on the pg_cron job
-- integration_pg_net_health_checks), so the worker never claims them: the lock step keeps
-- only rows whose pair is not a pg_net pair (a scalar subquery per walked row, one probe of
-- the primary key: the planner cannot turn it into a join that scans every pair, whatever
-- the statistics; a row of an unconfigured pair is still taken and unscheduled), and the
-- lease step leaves a pair re-routed to pg_net meanwhile alone
-- (neither leased nor unscheduled). Every other pair is claimed exactly as before.
-- The worker takes due active health checks (DESIGN §8), in O(due) since 0.2 (issue 16).
--
-- Due: a status row with next_check_at <= now(). Every checkable pair (enabled,
-- health_mode 'active') has one from the moment it becomes checkable (the trigger
-- organization_integrations_health_schedule writes a bookkeeping row, status NULL), so
-- a claim is one range scan of integration_health_status_next_check_idx that stops at
-- the first row not yet due: idle, it reads one index page whatever the number of
-- pairs; release 0.1 anti-joined every active pair on every call.
--
-- 1. Lock: walk the index in next_check_at order, FOR UPDATE SKIP LOCKED, LIMIT. The
--    LIMIT sits above the row locking (LockRows runs under Limit), so rows another
--    claimer holds are skipped without being counted: a concurrent claimer gets the next
--    due rows, never an empty answer while pairs it could take are due. A row another
--    claimer leased and committed meanwhile is re-checked and dropped (no longer due).
-- 2. Lease, in a second statement (a fresh snapshot, taken while the locks are held, so
--    a configuration change committed before them is seen): a checkable pair's
--    next_check_at becomes now() + its health_check_interval (a crashed worker's pair is
--    checked again one interval later; record_health_check sets the real next check).
--    A row that is due but not checkable (written directly, or left by an interrupted
--    change) gets next_check_at NULL, so it is never read again; the lock step is then
--    repeated for the places it took, until max_checks pairs are leased or nothing
--    more is due.
-- Sorting is disabled for the lock step only: with statistics that say "nothing is
-- due" (say, right after the deploy backfill), the planner would otherwise sort every
-- due row on every call.
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
SET search_path = pg_catalog, pg_temp
-- jit off: with enable_sort off the plan looks costly enough for JIT, which then takes
-- hundreds of milliseconds per call to compile a statement that runs in microseconds
SET jit = off
AS $$
DECLARE
  v_ids bigint[];
  v_want integer;
  v_leased integer;
  v_enable_sort text;
BEGIN
  IF NOT integration_ops.is_worker_id(claim_health_checks.worker_id)
     OR claim_health_checks.max_checks IS NULL
     OR claim_health_checks.max_checks NOT BETWEEN 1 AND 1000
  THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id must be 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces), and max_checks between 1 and 1000.');
  END IF;

  v_want := claim_health_checks.max_checks;
  LOOP
    -- 1. Lock up to v_want due rows, oldest first.
    v_enable_sort := pg_catalog.current_setting('enable_sort');
    PERFORM pg_catalog.set_config('enable_sort', 'off', true);
    SELECT array_agg(d.id) INTO v_ids
      FROM (SELECT hs.id
              FROM public.integration_health_status AS hs
             WHERE hs.next_check_at <= now()
               AND (SELECT oi.delivery FROM public.organization_integrations AS oi
                     WHERE oi.org_id = hs.org_id
                       AND oi.integration_type = hs.integration_type) IS DISTINCT FROM 'pg_net'
             ORDER BY hs.next_check_at
             LIMIT v_want
               FOR UPDATE OF hs SKIP LOCKED) AS d;
    PERFORM pg_catalog.set_config('enable_sort', v_enable_sort, true);
    IF v_ids IS NULL THEN
      RETURN;
    END IF;

    -- 2. Lease the checkable ones, unschedule the others; a pair re-routed to pg_net since
    --    the lock step is Postgres's to check: left as it is.
    RETURN QUERY
    WITH locked AS (
      SELECT hs.id AS l_id, oi.health_check_interval AS l_interval,
             oi.health_config AS l_config, oi.secret_ref AS l_secret_ref,
             coalesce(oi.enabled AND oi.health_mode = 'active', false) AS l_checkable,
             coalesce(oi.delivery = 'pg_net', false) AS l_pg_net
        FROM public.integration_health_status AS hs
        LEFT JOIN public.organization_integrations AS oi
          ON oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
       WHERE hs.id = ANY (v_ids)
    ), leased AS (
      UPDATE public.integration_health_status AS hs
         SET next_check_at = CASE WHEN NOT l.l_checkable THEN NULL
                                  WHEN l.l_pg_net THEN hs.next_check_at
                                  ELSE now() + l.l_interval END,
             claimed_by = CASE WHEN l.l_checkable AND NOT l.l_pg_net THEN claim_health_checks.worker_id ELSE hs.claimed_by END,
             claimed_at = CASE WHEN l.l_checkable AND NOT l.l_pg_net THEN now() ELSE hs.claimed_at END
        FROM locked AS l
       WHERE hs.id = l.l_id
      RETURNING hs.org_id AS c_org_id, hs.integration_type AS c_type,
                l.l_config AS c_config, l.l_secret_ref AS c_secret_ref,
                (l.l_checkable AND NOT l.l_pg_net) AS c_claimed
    )
    SELECT c.c_org_id, c.c_type, c.c_config, c.c_secret_ref
      FROM leased AS c
     WHERE c.c_claimed;
    GET DIAGNOSTICS v_leased = ROW_COUNT;

    -- Done when the lock step found fewer rows than it looked for (nothing more is due
    -- that nobody holds) or every place was filled.
    EXIT WHEN pg_catalog.cardinality(v_ids) < v_want OR v_leased = pg_catalog.cardinality(v_ids);
    v_want := v_want - v_leased;
  END LOOP;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_health_checks(text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_health_checks(text,integer) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.claim_health_checks(text, integer) IS
  'Worker RPC: claim up to max_checks due active health checks (enabled pairs, health_mode active, delivery worker, next_check_at <= now(); pg_net pairs are checked by Postgres through pg_net and never returned; never-checked pairs have a bookkeeping status row from the moment they become checkable) in next_check_at order, FOR UPDATE SKIP LOCKED with the LIMIT above the locking; each claimed pair''s next_check_at is pushed to now() + health_check_interval so no other worker takes it. O(due): one range scan of the next_check_at index. Returns org_id, integration_type, health_config, secret_ref.';

COMMIT;
