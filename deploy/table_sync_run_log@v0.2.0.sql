-- Deploy integration-sync:table_sync_run_log to pg
-- requires: table_integration_types function_org_role
-- Every sync run, scheduled or manual (DESIGN §7). Read by the app under RLS; written only
-- by service_role and the package's definer-rights functions.
BEGIN;

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

-- History and "last run" reads.
CREATE INDEX IF NOT EXISTS sync_run_log_pair_started_idx
  ON public.sync_run_log (org_id, integration_type, started_at DESC);
-- At most one active run per pair: the guard of the dispatcher and the manual trigger.
CREATE UNIQUE INDEX IF NOT EXISTS sync_run_log_one_active_per_pair
  ON public.sync_run_log (org_id, integration_type) WHERE status IN ('pending', 'running');
-- The claim queue: oldest pending first.
CREATE INDEX IF NOT EXISTS sync_run_log_pending_idx
  ON public.sync_run_log (created_at, id) WHERE status = 'pending';
-- The reaper and the pg_net reconciler: running runs only.
CREATE INDEX IF NOT EXISTS sync_run_log_running_idx
  ON public.sync_run_log (coalesce(heartbeat_at, started_at)) WHERE status = 'running';
-- The manual-trigger rate limit.
CREATE INDEX IF NOT EXISTS sync_run_log_manual_idx
  ON public.sync_run_log (org_id, integration_type, created_at DESC) WHERE triggered_by = 'manual';
-- Archival: finished runs by end time.
CREATE INDEX IF NOT EXISTS sync_run_log_ended_idx
  ON public.sync_run_log (ended_at) WHERE ended_at IS NOT NULL;

ALTER TABLE public.sync_run_log ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.sync_run_log FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.sync_run_log TO authenticated;
GRANT ALL ON TABLE public.sync_run_log TO service_role;

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
COMMENT ON COLUMN public.sync_run_log.error_message IS 'Sanitised (integration_ops.sanitize_error_text), at most 2000 characters.';
COMMENT ON COLUMN public.sync_run_log.duration_seconds IS 'ended_at - started_at in seconds (generated).';
COMMENT ON COLUMN public.sync_run_log.drift_seconds IS 'started_at - scheduled_for in seconds (generated): how late a scheduled run started.';
COMMENT ON COLUMN public.sync_run_log.net_request_id IS 'pg_net request id when the run was delivered by pg_net; read by reconcile_pg_net_responses().';
COMMENT ON COLUMN public.sync_run_log.worker_id IS 'Who runs it: the claiming worker''s id, or pg_net.';

COMMIT;
