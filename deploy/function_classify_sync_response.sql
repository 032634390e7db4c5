-- Deploy integration-sync:function_classify_sync_response to pg
-- requires: function_classify_sync_response@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The one classification of an integration's answer (DESIGN §12), SQL side; the worker's
-- Python twin is tested against the same table of cases (tests/cases/sync_responses.json):
--   * no answer: transport_error 'timeout' or 'connection_error' -> failed with that code;
--   * non-2xx -> failed http_<status>;
--   * 2xx with a JSON object whose records_processed / records_failed are absent, null
--     (-> 0) or non-negative integral numbers below 2^31 (5.0 -> 5) -> completed;
--   * any other 2xx (empty, not JSON, not an object, bad counts) -> failed invalid_response.
-- Never raises: a body that cannot be cast is a classification, not an error.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.classify_sync_response(
  status_code integer,
  body text,
  transport_error text DEFAULT NULL,
  OUT outcome text,
  OUT error_code text,
  OUT records_processed integer,
  OUT records_failed integer,
  OUT message text
)
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_json jsonb;
  v_key text;
  v_value jsonb;
  v_number numeric;
  v_counts integer[] := ARRAY[0, 0];
  v_i integer := 0;
  v_snippet text := left(btrim(coalesce(classify_sync_response.body, '')), 500);
BEGIN
  IF classify_sync_response.transport_error IS NOT NULL THEN
    outcome := 'failed';
    error_code := CASE WHEN classify_sync_response.transport_error = 'timeout' THEN 'timeout'
                       ELSE 'connection_error' END;
    message := CASE WHEN error_code = 'timeout' THEN 'No response before the timeout.'
                    ELSE 'The endpoint could not be reached.' END;
    RETURN;
  END IF;
  IF classify_sync_response.status_code IS NULL THEN
    outcome := 'failed'; error_code := 'connection_error';
    message := 'No HTTP status was received.';
    RETURN;
  END IF;
  IF classify_sync_response.status_code NOT BETWEEN 200 AND 299 THEN
    outcome := 'failed';
    error_code := 'http_' || classify_sync_response.status_code;
    message := 'The endpoint answered HTTP ' || classify_sync_response.status_code
               || CASE WHEN v_snippet = '' THEN '.' ELSE ': ' || v_snippet END;
    RETURN;
  END IF;

  outcome := 'failed';
  error_code := 'invalid_response';
  IF v_snippet = '' THEN
    message := 'HTTP ' || classify_sync_response.status_code || ' with an empty body (a JSON object was expected).';
    RETURN;
  END IF;
  BEGIN
    v_json := classify_sync_response.body::jsonb;
  EXCEPTION WHEN others THEN
    message := 'HTTP ' || classify_sync_response.status_code || ' with a body that is not JSON: ' || v_snippet;
    RETURN;
  END;
  IF jsonb_typeof(v_json) <> 'object' THEN
    message := 'HTTP ' || classify_sync_response.status_code || ' with JSON that is not an object: ' || v_snippet;
    RETURN;
  END IF;
  FOREACH v_key IN ARRAY ARRAY['records_processed', 'records_failed'] LOOP
    v_i := v_i + 1;
    v_value := v_json -> v_key;
    CONTINUE WHEN v_value IS NULL OR jsonb_typeof(v_value) = 'null';
    IF jsonb_typeof(v_value) <> 'number' THEN
      message := 'HTTP ' || classify_sync_response.status_code || ' with ' || v_key
                 || ' that is not a number: ' || v_snippet;
      RETURN;
    END IF;
    v_number := (v_value #>> '{}')::numeric;
    IF v_number < 0 OR v_number >= 2147483648 OR v_number <> trunc(v_number) THEN
      message := 'HTTP ' || classify_sync_response.status_code || ' with ' || v_key
                 || ' that is not a non-negative integer below 2^31: ' || v_snippet;
      RETURN;
    END IF;
    v_counts[v_i] := v_number::integer;
  END LOOP;
  outcome := 'completed';
  error_code := NULL;
  records_processed := v_counts[1];
  records_failed := v_counts[2];
  message := NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.classify_sync_response(integer,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.classify_sync_response(integer,text,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.classify_sync_response(integer, text, text) IS
  'The one classification of an integration''s answer: transport_error timeout/connection_error; non-2xx -> http_<status>; 2xx with a JSON object of absent/null/non-negative integral counts below 2^31 -> completed (5.0 -> 5); any other 2xx -> invalid_response. Never raises. The worker''s Python twin passes the same table of cases.';

COMMIT;
