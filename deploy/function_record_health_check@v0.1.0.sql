-- Deploy integration-sync:function_record_health_check to pg
-- requires: function_trigger_health_history table_organization_integrations function_raise_error role_integration_worker function_require_integration
-- The worker's upsert of a health result (DESIGN §8), with the failure count and backoff.
--
-- Rules:
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
BEGIN;

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

  SELECT oi.health_check_interval, (oi.enabled AND oi.health_mode = 'active')
    INTO v_interval, v_active
    FROM public.organization_integrations AS oi
   WHERE oi.org_id = record_health_check.org_id
     AND oi.integration_type = record_health_check.integration_type;
  v_interval := coalesce(v_interval, interval '15 minutes');
  v_active := coalesce(v_active, false);
  SELECT s.health_backoff_cap INTO v_cap FROM integration_ops.settings AS s;
  v_cap := coalesce(v_cap, interval '4 hours');

  INSERT INTO public.integration_health_status AS hs
    (org_id, integration_type, status, latency_ms, checked_at, error_message,
     consecutive_failures, next_check_at)
  VALUES
    (record_health_check.org_id, record_health_check.integration_type, record_health_check.status,
     record_health_check.latency_ms, now(), record_health_check.error_message,
     CASE WHEN record_health_check.status = 'healthy' THEN 0 ELSE 1 END,
     CASE WHEN v_active THEN now() + integration_ops.health_backoff(v_interval,
       CASE WHEN record_health_check.status = 'healthy' THEN 0 ELSE 1 END, v_cap) END)
  ON CONFLICT ON CONSTRAINT integration_health_status_pair_key DO UPDATE
     SET status = EXCLUDED.status,
         latency_ms = EXCLUDED.latency_ms,
         checked_at = EXCLUDED.checked_at,
         error_message = EXCLUDED.error_message,
         consecutive_failures = CASE WHEN EXCLUDED.status = 'healthy' THEN 0
                                     ELSE hs.consecutive_failures + 1 END,
         next_check_at = CASE WHEN v_active THEN now() + integration_ops.health_backoff(v_interval,
                           CASE WHEN EXCLUDED.status = 'healthy' THEN 0
                                ELSE hs.consecutive_failures + 1 END, v_cap) END
  RETURNING hs.* INTO v_row;

  RETURN v_row;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text)
  TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.record_health_check(uuid, text, text, integer, text) IS
  'Worker RPC: store a health result for a pair (upsert of integration_health_status; the trigger writes history). latency_ms kept for every status; consecutive_failures reset by healthy, +1 by degraded or unreachable; next_check_at = now() + interval * 2^failures capped at settings.health_backoff_cap (active pairs; NULL otherwise). Errors: invalid_argument, unknown_integration_type.';

COMMIT;
