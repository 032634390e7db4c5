-- The health schedule (issue 16): the trigger organization_integrations_health_schedule
-- keeps "a checkable pair (enabled, health_mode active) has a status row with
-- next_check_at; no other row has one", so claim_health_checks reads only due rows.
-- Bookkeeping rows (status NULL) show as never checked and count in no summary.
BEGIN;
SELECT plan(33);

DO $$
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
  PERFORM tests.add_member('eeeeeeee-0000-0000-0000-000000000005', 'erin_admin', 'admin');
  PERFORM tests.create_user('gina_global');
END
$$;

-- A readable view of org E's status rows: pair, status, scheduled?, due?
CREATE TEMP VIEW e_status AS
  SELECT hs.integration_type AS pair, hs.status, hs.next_check_at IS NOT NULL AS scheduled,
         hs.next_check_at <= now() AS due
    FROM public.integration_health_status hs
   WHERE hs.org_id = 'eeeeeeee-0000-0000-0000-000000000005';
-- The invariant, over the whole table: rows that break it (none expected).
CREATE TEMP VIEW schedule_violations AS
  SELECT oi.org_id, oi.integration_type, 'checkable, not scheduled' AS problem
    FROM public.organization_integrations oi
   WHERE oi.enabled AND oi.health_mode = 'active'
     AND NOT EXISTS (SELECT FROM public.integration_health_status hs
                      WHERE hs.org_id = oi.org_id AND hs.integration_type = oi.integration_type
                        AND hs.next_check_at IS NOT NULL)
  UNION ALL
  SELECT hs.org_id, hs.integration_type, 'scheduled, not checkable'
    FROM public.integration_health_status hs
   WHERE hs.next_check_at IS NOT NULL
     AND NOT EXISTS (SELECT FROM public.organization_integrations oi
                      WHERE oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
                        AND oi.enabled AND oi.health_mode = 'active');

-- Configuring ---------------------------------------------------------------------------
DO $$
BEGIN
  PERFORM tests.add_integration('eeeeeeee-0000-0000-0000-000000000005', 'xledger');
  PERFORM tests.add_integration('eeeeeeee-0000-0000-0000-000000000005', 'dynamics', enabled => false);
  INSERT INTO public.organization_integrations (org_id, integration_type, health_mode)
  VALUES ('eeeeeeee-0000-0000-0000-000000000005', 'bufdir', 'passive');
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status ORDER BY pair$$,
  $$VALUES ('xledger'::text, NULL::text, true, true)$$,
  'a new enabled active pair gets a bookkeeping row due now; a not-enabled or passive pair gets none');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005'), 0, 'a bookkeeping row writes no history');

-- The RPCs: a never-checked pair shows status NULL and counts nowhere.
CREATE TEMP TABLE summary_before ON COMMIT DROP AS
  SELECT integration_type, healthy, degraded, unreachable, total
    FROM public.integration_types t
   CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE hs.status = 'healthy') AS healthy,
                              count(*) FILTER (WHERE hs.status = 'degraded') AS degraded,
                              count(*) FILTER (WHERE hs.status = 'unreachable') AS unreachable,
                              count(hs.status) AS total
                         FROM public.integration_health_status hs
                        WHERE hs.integration_type = t.integration_type) AS c;
GRANT SELECT ON summary_before TO authenticated;
SELECT tests.authenticate_as('erin_admin', 'eeeeeeee-0000-0000-0000-000000000005');
SELECT results_eq(
  $$SELECT integration_type, status, latency_ms, checked_at, error_message
      FROM public.get_org_health_status(org_id => 'eeeeeeee-0000-0000-0000-000000000005')$$,
  $$VALUES ('bufdir'::text, NULL::text, NULL::integer, NULL::timestamptz, NULL::text),
           ('dynamics', NULL, NULL, NULL, NULL),
           ('xledger', NULL, NULL, NULL, NULL)$$,
  'get_org_health_status: every configured pair, the never-checked ones with status NULL');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT set_eq(
  $$SELECT integration_type, healthy, degraded, unreachable, total FROM public.get_global_health_summary()$$,
  $$SELECT integration_type, healthy, degraded, unreachable, total FROM summary_before$$,
  'get_global_health_summary: bookkeeping rows are counted nowhere (not healthy, not in total)');
SELECT tests.clear_authentication();

-- Claim and record: the bookkeeping row becomes a result.
SELECT tests.authenticate_as_worker();
SELECT ok((SELECT count(*) FROM integration_ops.claim_health_checks('w-e', 1000)
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005') = 1,
  'the bookkeeping row is claimed');
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status$$,
  $$VALUES ('xledger'::text, NULL::text, true, false)$$, 'claimed: leased, not due');
DO $$
BEGIN
  PERFORM integration_ops.record_health_check('eeeeeeee-0000-0000-0000-000000000005', 'xledger', 'healthy', 30, NULL);
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status$$,
  $$VALUES ('xledger'::text, 'healthy'::text, true, false)$$, 'recorded: a result, scheduled');

-- Transitions ---------------------------------------------------------------------------
-- An update that does not change checkability leaves the schedule alone.
DO $$
BEGIN
  UPDATE public.integration_health_status SET next_check_at = now() + interval '7 minutes'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  UPDATE public.organization_integrations
     SET enabled = true, health_mode = 'active', health_check_interval = '1 hour', sync_interval = '1 day'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT next_check_at - now() FROM public.integration_health_status
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  interval '7 minutes', 'an update that keeps the pair checkable keeps its next check');

-- active -> passive: the result stays, unscheduled; passive -> active: due now.
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'passive'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled FROM e_status$$,
  $$VALUES ('xledger'::text, 'healthy'::text, false)$$, 'switched to passive: the result stays, no check scheduled');
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'active'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status$$,
  $$VALUES ('xledger'::text, 'healthy'::text, true, true)$$, 'switched back to active: due now, the result kept');

-- disabled (enabled = false) and back.
DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled FROM e_status$$,
  $$VALUES ('xledger'::text, 'healthy'::text, false)$$, 'disabled: no check scheduled');
DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = true
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  UPDATE public.organization_integrations SET enabled = true
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status ORDER BY pair$$,
  $$VALUES ('dynamics'::text, NULL::text, true, true), ('xledger', 'healthy', true, true)$$,
  'enabled: due now (a never-checked pair gets its bookkeeping row)');

-- health_mode disabled: a bookkeeping row goes (nothing was measured).
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'disabled'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
END
$$;
SELECT results_eq($$SELECT pair FROM e_status ORDER BY pair$$, $$VALUES ('xledger'::text)$$,
  'health_mode disabled: the never-checked pair''s bookkeeping row is removed');
SELECT tests.authenticate_as('erin_admin', 'eeeeeeee-0000-0000-0000-000000000005');
SELECT results_eq(
  $$SELECT integration_type, status FROM public.get_org_health_status(org_id => 'eeeeeeee-0000-0000-0000-000000000005')$$,
  $$VALUES ('bufdir'::text, NULL::text), ('dynamics', NULL), ('xledger', 'healthy')$$,
  'the disabled pair is still listed (configured), status NULL');
SELECT tests.clear_authentication();

-- Deleting the configuration: a result stays unscheduled (and listed), a bookkeeping row goes.
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'active'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
  DELETE FROM public.organization_integrations
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type IN ('xledger', 'dynamics');
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled FROM e_status ORDER BY pair$$,
  $$VALUES ('xledger'::text, 'healthy'::text, false)$$,
  'deleted: the result row stays unscheduled, the bookkeeping row is removed');
SELECT tests.authenticate_as('erin_admin', 'eeeeeeee-0000-0000-0000-000000000005');
SELECT results_eq(
  $$SELECT integration_type, status FROM public.get_org_health_status(org_id => 'eeeeeeee-0000-0000-0000-000000000005')$$,
  $$VALUES ('bufdir'::text, NULL::text), ('xledger', 'healthy')$$,
  'a deleted pair with a result is still listed; a deleted never-checked pair is not');
SELECT tests.clear_authentication();

-- Re-configured: scheduled again (due now), the old result kept.
DO $$
BEGIN
  PERFORM tests.add_integration('eeeeeeee-0000-0000-0000-000000000005', 'xledger');
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled, due FROM e_status$$,
  $$VALUES ('xledger'::text, 'healthy'::text, true, true)$$, 're-configured: due now, the old result kept');

-- Moving a configuration row to another pair (key update): the old pair is unscheduled,
-- the new one scheduled.
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'active'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'bufdir';
  UPDATE public.organization_integrations SET integration_type = 'dynamics'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'bufdir';
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled FROM e_status ORDER BY pair$$,
  $$VALUES ('dynamics'::text, NULL::text, true), ('xledger', 'healthy', true)$$,
  'a key change unschedules the old pair and schedules the new one');

-- Passive results: record_sync_outcome_health keeps them unscheduled.
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'passive'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
  PERFORM integration_ops.record_sync_outcome_health('eeeeeeee-0000-0000-0000-000000000005', 'dynamics', false, 'boom');
END
$$;
SELECT results_eq($$SELECT pair, status, scheduled FROM e_status WHERE pair = 'dynamics'$$,
  $$VALUES ('dynamics'::text, 'degraded'::text, false)$$, 'a passive result is never scheduled');

SELECT is_empty($$SELECT * FROM schedule_violations$$,
  'after every transition: each checkable pair is scheduled, nothing else is');

-- The claim reads only due rows and repairs what breaks the invariant ---------------------
-- A due row written directly for a pair that is not checkable is unscheduled by the
-- claim that meets it, and the claim still fills max_checks from the rows behind it.
DO $$
BEGIN
  UPDATE public.integration_health_status SET next_check_at = now() - interval '10 days'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
  UPDATE public.integration_health_status SET next_check_at = now() - interval '9 days'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  -- a stray row for a pair nobody configured
  INSERT INTO public.integration_health_status (org_id, integration_type, next_check_at)
  VALUES ('eeeeeeee-0000-0000-0000-000000000005', 'bufdir', now() - interval '11 days');
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq(
  $$SELECT org_id::text || '/' || integration_type FROM integration_ops.claim_health_checks('w-repair', 1)$$,
  $$VALUES ('eeeeeeee-0000-0000-0000-000000000005/xledger')$$,
  'max_checks 1: the two older due rows are not checkable, the claim goes on to the checkable one');
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT pair, scheduled, due FROM e_status ORDER BY pair$$,
  $$VALUES ('bufdir'::text, false, NULL::boolean), ('dynamics', false, NULL), ('xledger', true, false)$$,
  'the rows that were due but not checkable are unscheduled (read once, never again)');
SELECT is((SELECT claimed_by FROM public.integration_health_status
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics'),
  NULL, 'an unscheduled row is not marked as claimed');
SELECT is_empty($$SELECT * FROM schedule_violations$$, 'the invariant holds again');

-- A claim with nothing due returns nothing.
DO $$
BEGIN
  UPDATE public.integration_health_status SET next_check_at = now() + interval '1 minute'
   WHERE next_check_at <= now();
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is_empty($$SELECT * FROM integration_ops.claim_health_checks('w-idle', 1000)$$,
  'nothing due: an empty claim');
SELECT tests.clear_authentication();

-- The claim's plan: the lock step walks integration_health_status_next_check_idx in order
-- (never a scan of every pair), also with statistics that say nothing is due. Since 0.3
-- (issue 23) it skips pg_net pairs: one primary-key probe of the configuration per walked row.
CREATE TEMP TABLE claim_plan (line text) ON COMMIT DROP;
DO $$
DECLARE
  v_line text;
BEGIN
  SET LOCAL enable_sort = off;
  FOR v_line IN EXPLAIN (COSTS OFF)
    SELECT hs.id FROM public.integration_health_status AS hs
     WHERE hs.next_check_at <= now()
       AND (SELECT oi.delivery FROM public.organization_integrations AS oi
             WHERE oi.org_id = hs.org_id
               AND oi.integration_type = hs.integration_type) IS DISTINCT FROM 'pg_net'
     ORDER BY hs.next_check_at LIMIT 200 FOR UPDATE OF hs SKIP LOCKED
  LOOP
    INSERT INTO claim_plan VALUES (v_line);
  END LOOP;
END
$$;
SELECT ok(EXISTS (SELECT FROM claim_plan WHERE line LIKE '%Index Scan using integration_health_status_next_check_idx%'),
  'the lock step is a range scan of the next_check_at index');
SELECT ok(NOT EXISTS (SELECT FROM claim_plan WHERE line LIKE '%Seq Scan on integration_health_status%' OR line LIKE '%Join%')
          AND EXISTS (SELECT FROM claim_plan WHERE line LIKE '%Filter: ((SubPlan 1) IS DISTINCT FROM ''pg_net''::text)%'),
  'the lock step joins nothing and scans no status table: a pair''s configuration is looked up (by its key) only for the rows walked');
SELECT ok(pg_get_functiondef('integration_ops.claim_health_checks(text, integer)'::regprocedure)
            LIKE '%WHERE hs.next_check_at <= now()%AND (SELECT oi.delivery FROM public.organization_integrations AS oi%IS DISTINCT FROM ''pg_net''%ORDER BY hs.next_check_at%FOR UPDATE OF hs SKIP LOCKED%',
  'claim_health_checks locks with exactly that query');

-- A never-checked pair's bookkeeping row in other orgs' RPC paths ---------------------------
-- (get_health_trend has no history for it: an empty trend, not an error)
DO $$
BEGIN
  PERFORM tests.add_integration('eeeeeeee-0000-0000-0000-000000000005', 'bufdir');
END
$$;
SELECT tests.authenticate_as('erin_admin', 'eeeeeeee-0000-0000-0000-000000000005');
SELECT is_empty($$SELECT * FROM public.get_health_trend('eeeeeeee-0000-0000-0000-000000000005', 'bufdir', 24)$$,
  'a never-checked pair has an empty trend');
SELECT tests.clear_authentication();

-- Privileges of the schedule helpers ---------------------------------------------------------
SELECT ok(NOT has_function_privilege('service_role', 'integration_ops.schedule_health_check(uuid, text, boolean)', 'execute')
      AND NOT has_function_privilege('integration_worker', 'integration_ops.schedule_health_check(uuid, text, boolean)', 'execute')
      AND NOT has_function_privilege('authenticated', 'integration_ops.schedule_health_check(uuid, text, boolean)', 'execute'),
  'no API role runs schedule_health_check');
SELECT ok(NOT has_function_privilege('service_role', 'integration_ops.trigger_health_schedule()', 'execute')
      AND NOT has_function_privilege('anon', 'integration_ops.trigger_health_schedule()', 'execute'),
  'no API role runs the trigger function');
SELECT trigger_is('public', 'organization_integrations', 'organization_integrations_health_schedule',
  'integration_ops', 'trigger_health_schedule', 'the schedule trigger calls integration_ops.trigger_health_schedule()');

-- record_health_check fails loudly without the settings row ----------------------------------
DO $$
BEGIN
  DELETE FROM integration_ops.settings;
EXCEPTION WHEN OTHERS THEN
  -- a guard may refuse the delete (DESIGN §12); then drop the row the hard way
  ALTER TABLE integration_ops.settings DISABLE TRIGGER USER;
  DELETE FROM integration_ops.settings;
END
$$;
SELECT throws_ok(
  $$SELECT integration_ops.record_health_check('eeeeeeee-0000-0000-0000-000000000005', 'xledger', 'healthy', 1, NULL)$$,
  'P0002', 'integration_ops.settings has no row', 'record_health_check without the settings row raises, naming it');

SELECT * FROM finish();
ROLLBACK;
