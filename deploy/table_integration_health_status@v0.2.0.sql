-- Deploy integration-sync:table_integration_health_status to pg
-- requires: table_integration_types function_claim_helpers function_org_role function_sanitize_error_text function_touch_updated_at
-- The single current health record per (org, integration) pair (DESIGN §7).
--
-- A row exists either as a *result* (status and checked_at set) or, before the first
-- result, as claim bookkeeping (status and checked_at NULL, next_check_at = the lease
-- set by claim_health_checks). get_org_health_status shows NULL status for both
-- "no row" and "bookkeeping row".
BEGIN;

-- Every stored error message is sanitised, whatever wrote it (the worker RPC, a
-- service_role write, a DBA).
CREATE OR REPLACE FUNCTION integration_ops.sanitize_health_error_message()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  NEW.error_message := integration_ops.sanitize_error_text(NEW.error_message);
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION integration_ops.sanitize_health_error_message() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sanitize_health_error_message() IS
  'Trigger: pass error_message through integration_ops.sanitize_error_text before it is stored.';

CREATE TABLE IF NOT EXISTS public.integration_health_status (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL,
  integration_type text NOT NULL REFERENCES public.integration_types (integration_type),
  status text CHECK (status IN ('healthy', 'degraded', 'unreachable')),
  latency_ms integer CHECK (latency_ms >= 0),
  checked_at timestamptz,
  error_message text CHECK (char_length(error_message) <= 2000),
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  next_check_at timestamptz,
  claimed_by text,
  claimed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT integration_health_status_pair_key UNIQUE (org_id, integration_type),
  -- A result has both a status and the time it was taken; a bookkeeping row has neither.
  CONSTRAINT integration_health_status_result_check CHECK ((status IS NULL) = (checked_at IS NULL))
);

-- claim_health_checks: due pairs in next_check_at order.
CREATE INDEX IF NOT EXISTS integration_health_status_next_check_idx
  ON public.integration_health_status (next_check_at)
  WHERE next_check_at IS NOT NULL;

DROP TRIGGER IF EXISTS integration_health_status_sanitize ON public.integration_health_status;
CREATE TRIGGER integration_health_status_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON public.integration_health_status
  FOR EACH ROW EXECUTE FUNCTION integration_ops.sanitize_health_error_message();

DROP TRIGGER IF EXISTS integration_health_status_touch ON public.integration_health_status;
CREATE TRIGGER integration_health_status_touch
  BEFORE UPDATE ON public.integration_health_status
  FOR EACH ROW EXECUTE FUNCTION integration_ops.touch_updated_at();

ALTER TABLE public.integration_health_status ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.integration_health_status FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.integration_health_status TO authenticated;
GRANT ALL ON TABLE public.integration_health_status TO service_role;

-- Org admins of the org their JWT acts for (membership checked) and global admins.
-- integration_health_history carries the identical policy.
DROP POLICY IF EXISTS integration_health_status_read ON public.integration_health_status;
CREATE POLICY integration_health_status_read ON public.integration_health_status
  FOR SELECT TO authenticated
  USING (
    (SELECT integration_ops.is_global_admin())
    OR (
      org_id = (SELECT integration_ops.jwt_org_id())
      AND (SELECT integration_ops.jwt_org_role()) = 'admin'
    )
  );

COMMENT ON TABLE public.integration_health_status IS
  'Current health of each (org, integration) pair: one row per pair. Written by integration_ops.record_health_check (results) and claim_health_checks (scheduling bookkeeping); every result write is copied to integration_health_history by a trigger. Readable by the org''s admins and by global admins; written only by service_role and the package''s functions.';
COMMENT ON COLUMN public.integration_health_status.status IS 'healthy, degraded or unreachable; NULL until the first result (a claim bookkeeping row).';
COMMENT ON COLUMN public.integration_health_status.latency_ms IS 'Probe latency of the last result, kept for every status (NULL when none was measured, e.g. passive mode).';
COMMENT ON COLUMN public.integration_health_status.checked_at IS 'When the last result was taken; NULL until the first result.';
COMMENT ON COLUMN public.integration_health_status.error_message IS 'Error of the last result, sanitised (integration_ops.sanitize_error_text) by a trigger; NULL when healthy.';
COMMENT ON COLUMN public.integration_health_status.consecutive_failures IS 'Degraded or unreachable results in a row; reset to 0 by a healthy result. Drives the backoff.';
COMMENT ON COLUMN public.integration_health_status.next_check_at IS 'When the pair is next due for an active check: set from the interval and the backoff by record_health_check, pushed forward (a lease) by claim_health_checks.';
COMMENT ON COLUMN public.integration_health_status.claimed_by IS 'worker_id of the last claim_health_checks that took this pair (diagnostics).';

COMMIT;
