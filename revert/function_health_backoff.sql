-- Revert integration-sync:function_health_backoff from pg: restore the 0.2 definition
-- (created by function_record_health_check), its privileges and comment.
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

REVOKE ALL ON FUNCTION integration_ops.health_backoff(interval,integer,interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.health_backoff(interval,integer,interval) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.health_backoff(interval, integer, interval) IS
  'Delay until the next active check: base_interval * 2^failures, at most backoff_cap, never less than base_interval.';

COMMIT;
