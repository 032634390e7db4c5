-- Deploy integration-sync:table_health_status_counts to pg
-- requires: table_health_status_counts@v0.2.0 trigger_integration_health_status_counts_insert trigger_integration_health_status_counts_update trigger_integration_health_status_counts_delete trigger_integration_health_status_counts_truncate function_add_health_status_counts function_trigger_health_status_counts function_rebuild_health_status_counts
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.add_health_status_counts -> function_add_health_status_counts
--   function integration_ops.trigger_health_status_counts -> function_trigger_health_status_counts
--   function integration_ops.rebuild_health_status_counts -> function_rebuild_health_status_counts
--   trigger integration_health_status_counts_insert -> trigger_integration_health_status_counts_insert
--   trigger integration_health_status_counts_update -> trigger_integration_health_status_counts_update
--   trigger integration_health_status_counts_delete -> trigger_integration_health_status_counts_delete
--   trigger integration_health_status_counts_truncate -> trigger_integration_health_status_counts_truncate
-- The released scripts: deploy/table_health_status_counts@v0.2.0.sql (frozen); a deploy
-- runs them first, so every object named here exists before this rework, which restates
-- only what is this change's own. The counts were built when the table was created (the
-- released script); this rework moves no data.
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

-- The table as released: a no-op wherever this rework runs (the table exists).
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

COMMIT;
