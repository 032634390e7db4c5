-- Deploy integration-sync:table_sync_run_log to pg
-- requires: table_sync_run_log@v0.2.0 index_sync_run_log_pair_started index_sync_run_log_one_active_per_pair index_sync_run_log_pending index_sync_run_log_manual index_sync_run_log_ended
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index sync_run_log_pair_started_idx -> index_sync_run_log_pair_started
--   index sync_run_log_one_active_per_pair -> index_sync_run_log_one_active_per_pair
--   index sync_run_log_pending_idx -> index_sync_run_log_pending
--   index sync_run_log_running_idx: dropped in 0.2 (index_sync_run_log_running_drop)
--   index sync_run_log_manual_idx -> index_sync_run_log_manual
--   index sync_run_log_ended_idx -> index_sync_run_log_ended
-- The released scripts: deploy/table_sync_run_log@v0.2.0.sql (frozen); a deploy runs them
-- first, so every object named here exists before this rework, which restates only what is
-- this change's own.
-- Every sync run, scheduled or manual (DESIGN §7). Read by the app under RLS; written only
-- by service_role and the package's definer-rights functions.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists). Changes that
-- altered it since: table_sync_run_log_cold_start (cold_start), table_sync_run_log_retries
-- (attempt, retry_of, not_before and their checks), index_sync_run_log_idempotency_attempt
-- (UNIQUE (idempotency_key) became sync_run_log_idempotency_attempt_key).
CREATE TABLE IF NOT EXISTS public.sync_run_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL,
  integration_type text NOT NULL REFERENCES public.integration_types (integration_type),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  triggered_by text NOT NULL CHECK (triggered_by IN ('scheduler', 'manual')),
  triggered_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  scheduled_for timestamptz,
  idempotency_key text UNIQUE,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  records_processed integer NOT NULL DEFAULT 0 CHECK (records_processed >= 0),
  records_failed integer NOT NULL DEFAULT 0 CHECK (records_failed >= 0),
  error_code text CHECK (error_code IS NULL OR length(error_code) <= 100),
  error_message text CHECK (error_message IS NULL OR length(error_message) <= 2000),
  worker_id text,
  heartbeat_at timestamptz,
  duration_seconds numeric GENERATED ALWAYS AS (extract(epoch FROM ended_at - started_at)) STORED,
  -- Beyond DESIGN §7 (internals):
  drift_seconds numeric GENERATED ALWAYS AS (extract(epoch FROM started_at - scheduled_for)) STORED,
  net_request_id bigint,
  CONSTRAINT sync_run_log_ended_at_when_finished
    CHECK ((status IN ('completed', 'failed', 'cancelled')) = (ended_at IS NOT NULL))
);

ALTER TABLE public.sync_run_log ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.sync_run_log FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.sync_run_log TO authenticated;
-- Not ALL: since 0.3 no API role holds TRUNCATE, REFERENCES or TRIGGER on the package's
-- tables (privileges_revoke_table_trigger).
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.sync_run_log TO service_role;

DROP POLICY IF EXISTS sync_run_log_read ON public.sync_run_log;
CREATE POLICY sync_run_log_read ON public.sync_run_log
  FOR SELECT TO authenticated
  USING (
    (SELECT integration_ops.is_global_admin())
    OR (
      org_id = (SELECT integration_ops.jwt_org_id())
      AND (SELECT integration_ops.jwt_org_role()) IN ('admin', 'coordinator')
    )
  );

-- Realtime: the app's status banner subscribes to one run by id (the primary key).
-- REPLICA IDENTITY DEFAULT (the primary key) is enough: INSERT and UPDATE events carry the
-- whole new row, the filter id=eq.<run id> matches on it, and Realtime applies the RLS
-- policy above to it. FULL would also log every old row (each heartbeat) for nothing.
ALTER TABLE public.sync_run_log REPLICA IDENTITY DEFAULT;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime')
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_publication_tables
                      WHERE pubname = 'supabase_realtime' AND schemaname = 'public'
                        AND tablename = 'sync_run_log') THEN
    ALTER PUBLICATION supabase_realtime ADD TABLE public.sync_run_log;
  END IF;
END
$$;

COMMENT ON TABLE public.sync_run_log IS
  'Every sync run (scheduled or manual): pending -> running -> completed/failed/cancelled. Readable by the org''s admins and coordinators and by global admins; written only by service_role and the package''s functions. In publication supabase_realtime (replica identity: primary key).';
COMMENT ON COLUMN public.sync_run_log.started_at IS 'Insert time, set again to the dispatch moment when the run turns running.';
COMMENT ON COLUMN public.sync_run_log.scheduled_for IS 'Start of the schedule period a scheduled run is for; NULL for manual runs.';
COMMENT ON COLUMN public.sync_run_log.idempotency_key IS 'org:type:period for scheduled runs (one run per period); NULL for manual runs. Sent as the Idempotency-Key header.';
-- error_message: as trigger_error_text_sanitize set it in 0.2.
COMMENT ON COLUMN public.sync_run_log.error_message IS
  'Sanitised by the trigger sync_run_log_sanitize (integration_ops.sanitize_error_text), at most 2000 characters.';
COMMENT ON COLUMN public.sync_run_log.duration_seconds IS 'ended_at - started_at in seconds (generated).';
COMMENT ON COLUMN public.sync_run_log.drift_seconds IS 'started_at - scheduled_for in seconds (generated): how late a scheduled run started.';
COMMENT ON COLUMN public.sync_run_log.net_request_id IS 'pg_net request id when the run was delivered by pg_net; read by reconcile_pg_net_responses().';
COMMENT ON COLUMN public.sync_run_log.worker_id IS 'Who runs it: the claiming worker''s id, or pg_net.';

COMMIT;
