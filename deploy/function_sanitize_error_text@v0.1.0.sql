-- Deploy integration-sync:function_sanitize_error_text to pg
-- requires: schema_integration_ops privileges_revoke_function_execute role_integration_worker
-- One sanitiser for every stored error message (DESIGN §6): no stack traces, no
-- credentials, at most 2000 characters.
BEGIN;

CREATE OR REPLACE FUNCTION integration_ops.sanitize_error_text(message text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_line text;
  v_kept text[] := ARRAY[]::text[];
  v_in_frame boolean := false;
  v_out text;
BEGIN
  IF message IS NULL THEN
    RETURN NULL;
  END IF;

  -- 1. Stack traces: Python tracebacks (header, File lines and their source lines),
  --    JS/Java/.NET "at ..." frames, Go goroutine dumps.
  FOREACH v_line IN ARRAY regexp_split_to_array(message, E'\r?\n') LOOP
    IF v_line ~ '^\s*Traceback \(most recent call last\):'
       OR v_line ~ '^\s*File "[^"]*", line [0-9]+'
       OR v_line ~ '^\s+at\s+\S'
       OR v_line ~ '^\s*goroutine [0-9]+ \['
       OR v_line ~ '^\s*(During handling of the above exception|The above exception was the direct cause)'
    THEN
      v_in_frame := v_line ~ '^\s*File "';
      CONTINUE;
    END IF;
    IF v_in_frame AND v_line ~ '^\s{2,}\S' THEN
      -- the source line Python prints under a File line
      v_in_frame := false;
      CONTINUE;
    END IF;
    v_in_frame := false;
    v_kept := v_kept || v_line;
  END LOOP;
  v_out := array_to_string(v_kept, E'\n');

  -- 2. Credentials.
  -- Bearer tokens.
  v_out := regexp_replace(v_out, '(bearer)\s+[A-Za-z0-9._~+/=-]+', '\1 [redacted]', 'gi');
  -- JWTs: three base64url segments.
  v_out := regexp_replace(v_out,
    'eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,}',
    '[redacted]', 'g');
  -- JSON form: "password": "value", "api_key": "value", "access_token": "value".
  v_out := regexp_replace(v_out,
    '("[A-Za-z0-9_-]*(password|passwd|pwd|apikey|api_key|secret|token)"\s*:\s*)"[^"]*"',
    '\1"[redacted]"', 'gi');
  -- key=value form (query strings, DSNs, logs).
  v_out := regexp_replace(v_out,
    '([A-Za-z0-9_-]*(password|passwd|pwd|apikey|api_key|secret|token)\s*=\s*)[^\s&;,''"]+',
    '\1[redacted]', 'gi');
  -- user:password@ in URLs.
  v_out := regexp_replace(v_out, '([A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+:[^/\s@]*@', '\1[redacted]@', 'g');

  -- 3. Length.
  RETURN left(btrim(v_out, E' \t\r\n'), 2000);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sanitize_error_text(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.sanitize_error_text(text) TO service_role, integration_worker;

COMMENT ON FUNCTION integration_ops.sanitize_error_text(text) IS
  'Sanitise an error message before it is stored: stack-trace lines removed, bearer tokens, JWTs, password/secret/token values and URL credentials replaced by [redacted], cut to 2000 characters.';

COMMIT;
