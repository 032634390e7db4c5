-- Deploy integration-sync:function_record_warmup to pg
-- requires: function_record_warmup@v0.2.0 function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The worker reports that a warm-up GET got an HTTP answer (any status: the endpoint is
-- up). Only integration_warmups changes: no run, no health status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.record_warmup(
  org_id uuid, integration_type text, http_status integer, worker_id text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
BEGIN
  IF record_warmup.org_id IS NULL OR record_warmup.integration_type IS NULL
     OR record_warmup.http_status IS NULL OR record_warmup.http_status NOT BETWEEN 100 AND 599
     OR (record_warmup.worker_id IS NOT NULL AND NOT integration_ops.is_worker_id(record_warmup.worker_id)) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id and integration_type are required, http_status must be between 100 and 599 and a worker_id 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces).');
  END IF;
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                  WHERE oi.org_id = record_warmup.org_id
                    AND oi.integration_type = record_warmup.integration_type) THEN
    PERFORM integration_ops.raise_error('integration_not_configured',
      format('No integration %s for org %s.', left(record_warmup.integration_type, 100), record_warmup.org_id));
  END IF;
  INSERT INTO integration_ops.integration_warmups AS w
         (org_id, integration_type, claimed_by, answered_at, http_status)
  VALUES (record_warmup.org_id, record_warmup.integration_type,
          left(record_warmup.worker_id, 200), v_now, record_warmup.http_status)
  ON CONFLICT ON CONSTRAINT integration_warmups_pkey DO UPDATE
     SET answered_at = EXCLUDED.answered_at, http_status = EXCLUDED.http_status;
  RETURN v_now;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.record_warmup(uuid,text,integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.record_warmup(uuid,text,integer,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.record_warmup(uuid, text, integer, text) IS
  'Worker RPC: a warm-up GET of the pair got an HTTP answer with http_status (any status counts as answered: the endpoint is up); sets integration_warmups.answered_at, which the cold-start rule reads. Returns the time recorded. Creates no run, changes no health status.';

COMMIT;
