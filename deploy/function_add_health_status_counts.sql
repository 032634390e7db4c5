-- Deploy integration-sync:function_add_health_status_counts to pg
-- requires: table_health_status_counts
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- table_health_status_counts. Reverting restores that definition.
-- Add a delta to one free slot of the type.
BEGIN;
SET LOCAL lock_timeout = '5s';

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
SET search_path = pg_catalog, pg_temp
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

REVOKE ALL ON FUNCTION integration_ops.add_health_status_counts(text,integer,integer,integer) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.add_health_status_counts(text, integer, integer, integer) IS
  'Add status-count deltas of one integration type to a counter slot no other transaction holds (FOR UPDATE SKIP LOCKED). Called by the count triggers on integration_health_status.';

COMMIT;
