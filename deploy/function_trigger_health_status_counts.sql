-- Deploy integration-sync:function_trigger_health_status_counts to pg
-- requires: table_health_status_counts
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- table_health_status_counts. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_health_status_counts()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM integration_ops.rebuild_health_status_counts();
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.integration_type = NEW.integration_type THEN
    PERFORM integration_ops.add_health_status_counts(NEW.integration_type,
      (NEW.status IS NOT DISTINCT FROM 'healthy')::integer - (OLD.status IS NOT DISTINCT FROM 'healthy')::integer,
      (NEW.status IS NOT DISTINCT FROM 'degraded')::integer - (OLD.status IS NOT DISTINCT FROM 'degraded')::integer,
      (NEW.status IS NOT DISTINCT FROM 'unreachable')::integer - (OLD.status IS NOT DISTINCT FROM 'unreachable')::integer);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IS NOT NULL THEN
    PERFORM integration_ops.add_health_status_counts(OLD.integration_type,
      -(OLD.status = 'healthy')::integer, -(OLD.status = 'degraded')::integer,
      -(OLD.status = 'unreachable')::integer);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IS NOT NULL THEN
    PERFORM integration_ops.add_health_status_counts(NEW.integration_type,
      (NEW.status = 'healthy')::integer, (NEW.status = 'degraded')::integer,
      (NEW.status = 'unreachable')::integer);
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_health_status_counts() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.trigger_health_status_counts() IS
  'Triggers on integration_health_status: keep integration_ops.health_status_counts in step with every insert, status or type change, delete and truncate.';

COMMIT;
