-- Deploy integration-sync:function_sanitize_error_text to pg
-- requires: function_sanitize_error_text@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- One sanitiser for every stored error message (DESIGN §6, §12): no stack traces, no
-- credentials, at most 2000 characters.
--
-- 0.2 (issue 14): wider forms (quoted values, libpq strings, URLs with an empty user or odd
-- characters, escaped quotes in JSON, Authorization/X-API-Key/Cookie headers, colon forms,
-- Python reprs, PEM private keys, AWS access keys, well-known token formats, Azure sig=),
-- input bounded (a 1 MB message costs no more than a 32 kB one), and the rules in one
-- list, integration_ops.sanitize_rules(), which is string for string the RULES of the
-- worker's twin orchestrator/sanitize.py (tests/test_sanitize.py checks both against
-- tests/cases/sanitize.json and against each other). The patterns use only the regex
-- syntax on which PostgreSQL's ARE engine and Python's re agree (see orchestrator/sanitize.py).
-- Triggers run it on every table that stores error text (trigger_error_text_sanitize).
-- 0.3 (issue 21): cuts leave no fragment of a secret: a head without a line break loses its
-- cut last word (a one-word head leaves nothing), a tail its cut first line and, when that
-- line ends with a key (`:` or `=`), the value on the line after it; the two parts are
-- always joined by the [...] line. The new forms are rules (function_sanitize_rules).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sanitize_error_text(message text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c_rules CONSTANT text[] := integration_ops.sanitize_rules();
  v_text text := message;
  v_drop text[] := ARRAY[]::text[];
  v_file text[] := ARRAY[]::text[];
  v_source text[] := ARRAY[]::text[];
  v_head text;
  v_tail text;
  v_first text;
  v_pos integer;
BEGIN
  IF message IS NULL THEN
    RETURN NULL;
  END IF;

  -- 1. Bounded input: the whole lines of the first and the last 16,000 characters, and
  -- no fragment of a secret where they are cut (0.3). String functions only, no regex: the
  -- same steps as _bounded in orchestrator/sanitize.py.
  IF char_length(v_text) > 32000 THEN
    v_head := left(v_text, 16000);
    v_pos := strpos(reverse(v_head), E'\n');
    IF v_pos > 0 THEN
      v_head := left(v_head, char_length(v_head) - v_pos);  -- without its cut last line
    ELSE
      -- cut mid-line: without its cut last word (no blank: nothing is left)
      v_pos := least(nullif(strpos(reverse(v_head), ' '), 0), nullif(strpos(reverse(v_head), E'\t'), 0));
      v_head := CASE WHEN v_pos IS NULL THEN '' ELSE left(v_head, char_length(v_head) - v_pos) END;
    END IF;
    -- without its cut first line (no line break: nothing is left) ...
    v_tail := right(v_text, 16000);
    v_pos := strpos(v_tail, E'\n');
    IF v_pos = 0 THEN
      v_tail := '';
    ELSE
      v_first := left(v_tail, v_pos - 1);
      v_tail := substr(v_tail, v_pos + 1);
      -- ... and the value on the line after a cut key
      IF right(rtrim(v_first, E' \t\r'), 1) IN (':', '=') THEN
        v_pos := strpos(v_tail, E'\n');
        v_tail := CASE WHEN v_pos = 0 THEN '' ELSE substr(v_tail, v_pos + 1) END;
      END IF;
    END IF;
    v_text := v_head || E'\n[...]\n' || v_tail;
  END IF;

  -- 2. Stack-trace lines.
  FOR i IN 1 .. array_length(c_rules, 1) LOOP
    IF c_rules[i][1] IN ('drop_line', 'file_line') THEN
      v_drop := array_append(v_drop, c_rules[i][2]);
    END IF;
    IF c_rules[i][1] = 'file_line' THEN
      v_file := array_append(v_file, c_rules[i][2]);
    ELSIF c_rules[i][1] = 'source_line' THEN
      v_source := array_append(v_source, c_rules[i][2]);
    END IF;
  END LOOP;
  IF strpos(v_text, E'\n') = 0 THEN
    IF v_text ~ ANY (v_drop) THEN
      v_text := '';
    END IF;
  ELSE
    SELECT coalesce(string_agg(l.line, E'\n' ORDER BY l.n), '')
      INTO v_text
      FROM (SELECT t.line, t.n, lag(t.line) OVER (ORDER BY t.n) AS prev
              FROM regexp_split_to_table(v_text, E'\r?\n') WITH ORDINALITY AS t(line, n)) AS l
     WHERE NOT (l.line ~ ANY (v_drop))
       AND NOT (coalesce(l.prev ~ ANY (v_file), false) AND l.line ~ ANY (v_source));
  END IF;

  -- 3. Credentials.
  FOR i IN 1 .. array_length(c_rules, 1) LOOP
    IF c_rules[i][1] = 'replace' THEN
      v_text := regexp_replace(v_text, c_rules[i][2], c_rules[i][3], 'g');
    END IF;
  END LOOP;

  -- 4. Length.
  RETURN left(btrim(v_text, E' \t\r\n'), 2000);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sanitize_error_text(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.sanitize_error_text(text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.sanitize_error_text(text) IS
  'Sanitise an error message before it is stored: stack-trace lines removed; bearer tokens, JWTs, PEM private keys, AWS access keys and known token formats (Supabase sb_secret_ keys too), the paths of Slack/Discord/Teams incoming-webhook URLs, the credentials of URLs, Authorization/Cookie headers and the values of password/secret/token/api-key/sig-like keys (key=value, key: value, quoted, JSON and its arrays, escaped JSON, Python reprs, form arrays, percent-encoded, a value on the next line) replaced by [redacted]; cut to 2000 characters. Inputs over 32,000 characters keep the whole lines of their first and last 16,000 joined by a [...] line, without a fragment of a secret where they are cut (a head cut mid-line loses its last word). Rules: integration_ops.sanitize_rules().';

COMMIT;
