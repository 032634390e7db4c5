-- Deploy integration-sync:function_classify_health_probe to pg
-- requires: schema_integration_ops
-- 0.3 (issue 23): DESIGN §9's classification of a health probe, in SQL, for the checks
-- Postgres runs through pg_net. Its Python twin is orchestrator/health/classify.py; both
-- pass every case of tests/cases/health_probes.json (the one table of cases).
--
--   2xx/3xx within degraded_latency_ms (default 2000)     healthy
--   2xx/3xx slower; 429; other 4xx                        degraded
--   5xx, any other status, timeout, connection or other   unreachable
--   transport error (no HTTP answer)
--
-- An answer is one with a status_code. Without one, pg_net's row says why: timed_out (pg_net
-- 0.15+; older versions leave it NULL and say "Timeout ..." in error_msg, and curl's own text
-- is "Timeout was reached"), or error_msg = curl's error text: "Couldn't connect to server" /
-- "Could not connect to server" (refused), "Couldn't resolve host name" (DNS) are connection
-- errors, anything else a transport error. The messages read as the Python runner's: the
-- same prefixes ("slow response: HTTP …", "HTTP 429: rate limited", "HTTP <code>",
-- "timeout: …", "connection error: …", "transport error: …"); pg_net reports no reason phrase,
-- so "HTTP 503" has none. A NULL latency is not slow. Pure: no table, no setting.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.classify_health_probe(
  status_code integer,
  latency_ms integer,
  degraded_latency_ms integer,
  timed_out boolean,
  error_msg text,
  OUT status text,
  OUT error_message text
)
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_limit integer := coalesce(classify_health_probe.degraded_latency_ms, 2000);
  v_code integer := classify_health_probe.status_code;
  v_error text := nullif(pg_catalog.btrim(classify_health_probe.error_msg), '');
BEGIN
  IF v_code IS NULL THEN
    status := 'unreachable';
    IF coalesce(classify_health_probe.timed_out, false) OR v_error ILIKE 'timeout%' THEN
      error_message := 'timeout: ' || coalesce(v_error, 'no response');
    ELSIF v_error ~* '^could(n''t| not) (connect|resolve)' THEN
      error_message := 'connection error: ' || v_error;
    ELSE
      error_message := 'transport error: ' || coalesce(v_error, 'no response');
    END IF;
  ELSIF v_code BETWEEN 200 AND 399 THEN
    IF coalesce(classify_health_probe.latency_ms <= v_limit, true) THEN
      status := 'healthy';
    ELSE
      status := 'degraded';
      error_message := pg_catalog.format('slow response: HTTP %s in %s ms (degraded above %s ms)',
                                         v_code, classify_health_probe.latency_ms, v_limit);
    END IF;
  ELSIF v_code = 429 THEN
    status := 'degraded';
    error_message := 'HTTP 429: rate limited';
  ELSIF v_code BETWEEN 400 AND 499 THEN
    status := 'degraded';
    error_message := 'HTTP ' || v_code;
  ELSE
    status := 'unreachable';
    error_message := 'HTTP ' || v_code;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.classify_health_probe(integer, integer, integer, boolean, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.classify_health_probe(integer, integer, integer, boolean, text) IS
  'DESIGN §9''s classification of a health probe (the SQL twin of orchestrator/health/classify.py; both pass tests/cases/health_probes.json): 2xx/3xx within degraded_latency_ms (NULL: 2000) healthy; slower, 429 or other 4xx degraded; 5xx, other codes, timeout (timed_out or error_msg Timeout…), connection error (Couldn''t connect/resolve) or other transport error (no status_code) unreachable. Returns status and error_message (NULL when healthy). Pure.';

COMMIT;
