-- Deploy integration-sync:function_health_backoff to pg
-- requires: function_record_health_check@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_record_health_check. Reverting restores that definition.
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
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT GREATEST(
    base_interval,
    LEAST(base_interval * power(2, LEAST(GREATEST(coalesce(failures, 0), 0), 16)), backoff_cap)
  )
$$;

REVOKE ALL ON FUNCTION integration_ops.health_backoff(interval,integer,interval) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.health_backoff(interval, integer, interval) IS
  'Delay until the next active check: base_interval * 2^failures, at most backoff_cap, never less than base_interval.';

COMMIT;
