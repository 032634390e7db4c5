-- Deploy integration-sync:function_is_retryable_error to pg
-- requires: schema_integration_ops
-- 0.3 (issue 22, DESIGN §13): the error codes after which a period gets a next attempt.
-- Transient: no answer (timeout, connection_error), the worker vanished (worker_lost), or
-- the vendor said "later" (408 Request Timeout, 425 Too Early, 429 Too Many Requests, 500,
-- 502, 503, 504). Every other code is final: 4xx (the request itself is wrong or not
-- allowed), invalid_response, url_not_allowed, secret_not_found, endpoint_not_configured,
-- delivery failures, integration_disabled.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_retryable_error(error_code text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN coalesce(is_retryable_error.error_code IN (
    'timeout', 'connection_error', 'worker_lost',
    'http_408', 'http_425', 'http_429', 'http_500', 'http_502', 'http_503', 'http_504'), false);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.is_retryable_error(text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.is_retryable_error(text) IS
  'True for the transient error codes a failed run is retried after: timeout, connection_error, worker_lost, http_408, http_425, http_429, http_500, http_502, http_503, http_504 (DESIGN §13).';

COMMIT;
