-- Deploy integration-sync:function_record_health_check to pg
-- requires: function_record_health_check@v0.1.0 trigger_organization_integrations_health_schedule function_settings_row
-- The worker's upsert of a health result (DESIGN §8), with the failure count and backoff.
--
-- Rules (unchanged from 0.1):
--   * latency_ms is stored with every status (NULL allowed: nothing measured; < 0 refused).
--   * consecutive_failures: reset to 0 by healthy; +1 by degraded AND by unreachable.
--     Degraded counts as a failure on purpose: it covers 429 (the vendor asks us to slow
--     down), bad credentials and other 4xx (nothing changes until someone acts) and slow
--     responses — probing such a pair less often is what the backoff is for.
--   * next_check_at (active, enabled pairs only) = now() + integration_ops.health_backoff(
--     health_check_interval, consecutive_failures, settings.health_backoff_cap), i.e.
--     interval * 2^failures capped at the cap (4 h) but never shorter than the interval:
--     healthy 15 min; 1 failure 30 min; 2: 1 h; 3: 2 h; 4 and more: 4 h.
--     Passive, disabled or unconfigured pairs get next_check_at NULL (never claimed).
--   * A result for a pair the org has not configured (e.g. removed between claim and
--     record) is still stored (the 15-minute default interval applies): the measurement
--     is real and get_org_health_status shows every pair with a status row.
-- Since 0.2 (issue 16):
--   * The pair's status row is locked (created as a bookkeeping row if there is none)
--     BEFORE its configuration is read, so next_check_at keeps the schedule invariant of
--     trigger_organization_integrations_health_schedule under a concurrent change of
--     enabled / health_mode: a change committed before the lock is seen (each statement
--     reads a fresh snapshot), one committed after re-applies its transition on top.
--   * A missing integration_ops.settings row is an error, not a silent default: the
--     cap is read through integration_ops.settings_row() (change function_settings_row,
--     earlier in the plan).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.health_backoff(
  base_interval interval,
  failures integer,
  backoff_cap interval
)
RETURNS interval
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT GREATEST(
    base_interval,
    LEAST(base_interval * power(2, LEAST(GREATEST(coalesce(failures, 0), 0), 16)), backoff_cap)
  )
$$;
REVOKE ALL ON FUNCTION integration_ops.health_backoff(interval, integer, interval) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.health_backoff(interval, integer, interval) IS
  'Delay until the next active check: base_interval * 2^failures, at most backoff_cap, never less than base_interval.';

CREATE OR REPLACE FUNCTION integration_ops.record_health_check(
  org_id uuid,
  integration_type text,
  status text,
  latency_ms integer,
  error_message text
)
RETURNS public.integration_health_status
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id bigint;
  v_failures integer;
  v_interval interval;
  v_active boolean;
  v_cap interval;
  v_row public.integration_health_status;
BEGIN
  IF record_health_check.org_id IS NULL
     OR record_health_check.integration_type IS NULL
     OR record_health_check.status IS NULL
     OR record_health_check.status NOT IN ('healthy', 'degraded', 'unreachable')
     OR record_health_check.latency_ms < 0
  THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id and integration_type are required, status must be healthy, degraded or unreachable, latency_ms must not be negative.');
  END IF;
  PERFORM integration_ops.require_known_type(record_health_check.integration_type);

  -- The one settings row, or a loud error (integration_ops.settings_row raises P0002).
  v_cap := (integration_ops.settings_row()).health_backoff_cap;

  -- 1. Lock the pair's status row; a pair without one gets a bookkeeping row first.
  LOOP
    SELECT hs.id, hs.consecutive_failures INTO v_id, v_failures
      FROM public.integration_health_status AS hs
     WHERE hs.org_id = record_health_check.org_id
       AND hs.integration_type = record_health_check.integration_type
       FOR UPDATE;
    EXIT WHEN FOUND;
    INSERT INTO public.integration_health_status (org_id, integration_type)
    VALUES (record_health_check.org_id, record_health_check.integration_type)
    ON CONFLICT ON CONSTRAINT integration_health_status_pair_key DO NOTHING;
  END LOOP;

  -- 2. Only now the configuration (a fresh snapshot, taken while we hold the lock).
  SELECT oi.health_check_interval, (oi.enabled AND oi.health_mode = 'active')
    INTO v_interval, v_active
    FROM public.organization_integrations AS oi
   WHERE oi.org_id = record_health_check.org_id
     AND oi.integration_type = record_health_check.integration_type;
  v_interval := coalesce(v_interval, interval '15 minutes');
  v_active := coalesce(v_active, false);

  -- 3. The result (the history trigger copies it: the SET list names the result columns).
  v_failures := CASE WHEN record_health_check.status = 'healthy' THEN 0 ELSE v_failures + 1 END;
  UPDATE public.integration_health_status AS hs
     SET status = record_health_check.status,
         latency_ms = record_health_check.latency_ms,
         checked_at = now(),
         error_message = record_health_check.error_message,
         consecutive_failures = v_failures,
         next_check_at = CASE WHEN v_active
                              THEN now() + integration_ops.health_backoff(v_interval, v_failures, v_cap) END
   WHERE hs.id = v_id
  RETURNING hs.* INTO v_row;

  RETURN v_row;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text)
  TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text) IS
  'Worker RPC: store a health result for a pair (upsert of integration_health_status; the trigger writes history). latency_ms kept for every status; consecutive_failures reset by healthy, +1 by degraded or unreachable; next_check_at = now() + interval * 2^failures capped at settings.health_backoff_cap (active pairs; NULL otherwise). Locks the status row before reading the configuration. Errors: invalid_argument, unknown_integration_type; raises P0002 (integration_ops.settings_row) when the settings row is missing.';

COMMIT;
