-- Deploy integration-sync:table_health_status_counts to pg
-- requires: table_integration_health_status
-- Per-type counts of current health status, kept in step by the status table's own
-- writes (issue 16), so get_global_health_summary reads O(types × slots) rows instead of
-- counting every status row (48 ms at 200,000 pairs in 0.1).
--
-- Contention: every status change of a type would otherwise update one hot row, and
-- concurrent writers would queue on its row lock until each other's COMMIT. Each type
-- has SLOTS (8) counter rows; a write adds its delta to a slot no other transaction
-- holds (FOR UPDATE SKIP LOCKED, starting at the slot of its backend, so one
-- transaction keeps reusing the slot it already holds); the summary sums the slots.
-- A writer waits only when all 8 slots of a type are held by other open transactions,
-- and then for its own backend's slot. Counts are exact: the delta is written in the
-- writer's transaction, so it commits or rolls back with the status change.
--
-- Triggers on integration_health_status (row level, so only rows whose status or
-- type actually changes cost anything; a bookkeeping row, status NULL, counts nowhere):
--   AFTER INSERT  WHEN status IS NOT NULL            +1 for the new status
--   AFTER UPDATE  WHEN status or type changes        -1 old, +1 new
--   AFTER DELETE  WHEN status IS NOT NULL            -1 for the old status
--   AFTER TRUNCATE (statement)                       counts rebuilt (empty)
-- Writes that skip triggers (session_replication_role = replica, e.g. a bulk load) must
-- be followed by integration_ops.rebuild_health_status_counts().
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS integration_ops.health_status_counts (
  integration_type text NOT NULL,
  -- squawk-ignore prefer-bigint-over-smallint
  slot smallint NOT NULL CHECK (slot >= 0),  -- a small, bounded slot number, never a counter
  healthy bigint NOT NULL DEFAULT 0,
  degraded bigint NOT NULL DEFAULT 0,
  unreachable bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (integration_type, slot)
);
ALTER TABLE integration_ops.health_status_counts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.health_status_counts FROM PUBLIC;
COMMENT ON TABLE integration_ops.health_status_counts IS
  'Counts of current health status per integration type, split over slot rows (summed by get_global_health_summary); kept by triggers on integration_health_status. Never written by hand: integration_ops.rebuild_health_status_counts() recounts.';
COMMENT ON COLUMN integration_ops.health_status_counts.slot IS
  'One of the type''s counter rows (0..7); a writer adds to a slot no other transaction holds, so concurrent status writes do not queue on one row lock.';

-- Add a delta to one free slot of the type.
CREATE OR REPLACE FUNCTION integration_ops.add_health_status_counts(
  integration_type text,
  healthy integer,
  degraded integer,
  unreachable integer
)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  c_slots CONSTANT integer := 8;
  v_home integer := pg_catalog.pg_backend_pid() % c_slots;
  v_slot smallint;
BEGIN
  IF add_health_status_counts.healthy = 0 AND add_health_status_counts.degraded = 0
     AND add_health_status_counts.unreachable = 0 THEN
    RETURN;
  END IF;
  LOOP
    -- A slot no other transaction holds (rows this transaction holds are not skipped),
    -- this backend's own first.
    SELECT c.slot INTO v_slot
      FROM integration_ops.health_status_counts AS c
     WHERE c.integration_type = add_health_status_counts.integration_type
     ORDER BY (c.slot - v_home + c_slots) % c_slots
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    EXIT WHEN FOUND;
    IF EXISTS (SELECT FROM integration_ops.health_status_counts AS c
                WHERE c.integration_type = add_health_status_counts.integration_type) THEN
      -- Every slot is held by another open transaction: wait for this backend's own.
      v_slot := v_home;
      PERFORM FROM integration_ops.health_status_counts AS c
        WHERE c.integration_type = add_health_status_counts.integration_type AND c.slot = v_slot
          FOR UPDATE;
      EXIT WHEN FOUND;
    END IF;
    -- A type without slot rows yet (a type added since the deploy): create them.
    INSERT INTO integration_ops.health_status_counts (integration_type, slot)
    SELECT add_health_status_counts.integration_type, g.n
      FROM pg_catalog.generate_series(0, c_slots - 1) AS g (n)
    ON CONFLICT DO NOTHING;
  END LOOP;

  UPDATE integration_ops.health_status_counts AS c
     SET healthy = c.healthy + add_health_status_counts.healthy,
         degraded = c.degraded + add_health_status_counts.degraded,
         unreachable = c.unreachable + add_health_status_counts.unreachable
   WHERE c.integration_type = add_health_status_counts.integration_type
     AND c.slot = v_slot;
END
$$;
REVOKE ALL ON FUNCTION integration_ops.add_health_status_counts(text, integer, integer, integer) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.add_health_status_counts(text, integer, integer, integer) IS
  'Add status-count deltas of one integration type to a counter slot no other transaction holds (FOR UPDATE SKIP LOCKED). Called by the count triggers on integration_health_status.';

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
COMMENT ON FUNCTION integration_ops.trigger_health_status_counts() IS
  'Triggers on integration_health_status: keep integration_ops.health_status_counts in step with every insert, status or type change, delete and truncate.';

-- Recount from the status table (after writes that skipped triggers, or to repair).
-- Holds SHARE on the status table while it counts, so no status write runs meanwhile.
CREATE OR REPLACE FUNCTION integration_ops.rebuild_health_status_counts()
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  LOCK TABLE public.integration_health_status IN SHARE MODE;
  DELETE FROM integration_ops.health_status_counts;
  INSERT INTO integration_ops.health_status_counts (integration_type, slot, healthy, degraded, unreachable)
  SELECT t.integration_type, g.n,
         CASE WHEN g.n = 0 THEN coalesce(c.n_healthy, 0) ELSE 0 END,
         CASE WHEN g.n = 0 THEN coalesce(c.n_degraded, 0) ELSE 0 END,
         CASE WHEN g.n = 0 THEN coalesce(c.n_unreachable, 0) ELSE 0 END
    FROM public.integration_types AS t
   CROSS JOIN pg_catalog.generate_series(0, 7) AS g (n)
    LEFT JOIN (SELECT hs.integration_type AS c_type,
                      count(*) FILTER (WHERE hs.status = 'healthy') AS n_healthy,
                      count(*) FILTER (WHERE hs.status = 'degraded') AS n_degraded,
                      count(*) FILTER (WHERE hs.status = 'unreachable') AS n_unreachable
                 FROM public.integration_health_status AS hs
                WHERE hs.status IS NOT NULL
                GROUP BY hs.integration_type) AS c ON c.c_type = t.integration_type;
END
$$;
REVOKE ALL ON FUNCTION integration_ops.rebuild_health_status_counts() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.rebuild_health_status_counts() IS
  'Recount integration_ops.health_status_counts from integration_health_status (SHARE lock on it meanwhile). For after a bulk load that skipped triggers, or a repair; the triggers keep the counts otherwise. Owner only.';

-- Triggers first (their CREATE locks out status writes until COMMIT), then the count.
DROP TRIGGER IF EXISTS integration_health_status_counts_insert ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_insert
  AFTER INSERT ON public.integration_health_status
  FOR EACH ROW WHEN (NEW.status IS NOT NULL)
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();
DROP TRIGGER IF EXISTS integration_health_status_counts_update ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_update
  AFTER UPDATE ON public.integration_health_status
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                     OR OLD.integration_type IS DISTINCT FROM NEW.integration_type)
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();
DROP TRIGGER IF EXISTS integration_health_status_counts_delete ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_delete
  AFTER DELETE ON public.integration_health_status
  FOR EACH ROW WHEN (OLD.status IS NOT NULL)
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();
DROP TRIGGER IF EXISTS integration_health_status_counts_truncate ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_truncate
  AFTER TRUNCATE ON public.integration_health_status
  FOR EACH STATEMENT
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();

SELECT integration_ops.rebuild_health_status_counts();

COMMIT;
