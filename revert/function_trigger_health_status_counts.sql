-- Revert integration-sync:function_trigger_health_status_counts from pg: restore the 0.2 definition
-- (created by table_health_status_counts), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_health_status_counts()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.trigger_health_status_counts() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.trigger_health_status_counts() IS
  'Triggers on integration_health_status: keep integration_ops.health_status_counts in step with every insert, status or type change, delete and truncate.';

COMMIT;
